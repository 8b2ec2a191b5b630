export { SecurityGroupMembership, SecurityGroupMembershipArgs, TYPE_TOKEN } from "./resource";
export { SecurityGroupMembershipProvider, ProviderOptions } from "./provider";
export type { MembershipInputs, MembershipOutputs } from "./inputs";
export { EcsApiError, MembershipError } from "./errors";
