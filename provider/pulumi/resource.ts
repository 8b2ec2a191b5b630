/**
 * SecurityGroupMembership: one target (instance or ENI) in one security group, joined on create and left on delete.
 */
import * as pulumi from "@pulumi/pulumi";
import { SERIALIZED_PROVIDER } from "./serialized-provider";

export interface SecurityGroupMembershipArgs {
  /** The ECS instance to put in the group. Give exactly one of instanceId and networkInterfaceId. */
  instanceId?: pulumi.Input<string>;
  /** The elastic network interface to put in the group. Give exactly one of instanceId and networkInterfaceId. */
  networkInterfaceId?: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  /** Defaults to the stack config alicloud:region, then ALIBABA_CLOUD_REGION_ID / ALICLOUD_REGION. */
  regionId?: pulumi.Input<string>;
  /** Accept a membership that already exists on create, and manage (and on delete, remove) it from then on. */
  adoptExisting?: pulumi.Input<boolean>;
  /** Deadline of each operation, waits and retries included. Default 600. */
  operationTimeoutSeconds?: pulumi.Input<number>;
}

export const MODULE = "alicloud-sg-membership";
export const TYPE = "SecurityGroupMembership";
export const TYPE_TOKEN = `pulumi-nodejs:dynamic/${MODULE}:${TYPE}`;

/**
 * A dynamic resource, as `pulumi.dynamic.Resource` would make it, but with a fixed `__provider` that loads this package
 * (serialized-provider.ts) instead of the SDK's serialization of the provider's code.
 */
export class SecurityGroupMembership extends pulumi.CustomResource {
  declare readonly instanceId: pulumi.Output<string | undefined>;
  declare readonly networkInterfaceId: pulumi.Output<string | undefined>;
  declare readonly securityGroupId: pulumi.Output<string>;
  declare readonly regionId: pulumi.Output<string>;
  /** Every group of the target as last seen. */
  declare readonly securityGroupIds: pulumi.Output<string[]>;
  declare readonly adoptExisting: pulumi.Output<boolean | undefined>;
  declare readonly operationTimeoutSeconds: pulumi.Output<number | undefined>;

  constructor(name: string, args: SecurityGroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      instanceId: args.instanceId,
      networkInterfaceId: args.networkInterfaceId,
      securityGroupId: args.securityGroupId,
      regionId: args.regionId,
      adoptExisting: args.adoptExisting,
      operationTimeoutSeconds: args.operationTimeoutSeconds,
      securityGroupIds: undefined,
      // Dynamic providers are not told their resource's URN; progress messages need it to show against the resource.
      __urn: pulumi.createUrn(name, TYPE_TOKEN, opts?.parent),
      __provider: SERIALIZED_PROVIDER,
    };
    super(TYPE_TOKEN, name, props, opts);
  }
}
