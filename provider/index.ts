export { SecurityGroupMembership, type SecurityGroupMembershipArgs, TYPE_TOKEN } from "./pulumi/resource";
export { SecurityGroupMembershipProvider, type ProviderOptions } from "./pulumi/provider";
export type { MembershipInputs, MembershipOutputs } from "./membership/inputs";
export { EcsApiError, MembershipError } from "./ecs/errors";
export { OutcomeUnknownError } from "./membership/errors";
