/**
 * The entry point every SecurityGroupMembership's state names (see serialized-provider.ts), published as the package
 * subpath `pulumi-alicloud-sg-membership/dynamic-provider`. Its shape is a promise kept across versions: `v1` is an
 * object with Pulumi's dynamic-provider methods (configure, check, diff, create, read, update, delete) taking the
 * property bags of this package's states. A change that old states could not survive gets a new name (`v2`) beside it.
 */
import { SecurityGroupMembershipProvider } from "./provider";

export const v1 = new SecurityGroupMembershipProvider();
