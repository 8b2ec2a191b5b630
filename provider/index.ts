export { SecurityGroupMembership, type SecurityGroupMembershipArgs, TYPE_TOKEN } from "./resource";
export { SecurityGroupMembershipProvider, type ProviderOptions } from "./provider";
export type { MembershipInputs, MembershipOutputs } from "./inputs";
export { EcsApiError, MembershipError, OutcomeUnknownError } from "./errors";
