import * as pulumi from "@pulumi/pulumi";
import { SecurityGroupMembership } from "pulumi-alicloud-sg-membership";

const SEED_INSTANCES = Array.from({ length: 12 }, (_, i) => `i-bp1fleet${String(i + 1).padStart(2, "0")}`);
const SEED_GROUPS = ["sg-bp1fleet1", "sg-bp1fleet2", "sg-bp1fleet3", "sg-bp1fleet4"];

/**
 * Every instance of the fleet in every listed group: N × M memberships from stack config (the scale example), with an
 * optional `fleetOperationTimeoutSeconds` for each.
 */
export function fleet(config: pulumi.Config): SecurityGroupMembership[] {
  const instanceIds = config.getObject<string[]>("fleetInstanceIds") ?? SEED_INSTANCES;
  const groupIds = config.getObject<string[]>("fleetGroupIds") ?? SEED_GROUPS;
  const operationTimeoutSeconds = config.getNumber("fleetOperationTimeoutSeconds");
  return instanceIds.flatMap((instanceId) =>
    groupIds.map(
      (securityGroupId) =>
        new SecurityGroupMembership(`${instanceId}-in-${securityGroupId}`, { instanceId, securityGroupId, operationTimeoutSeconds }),
    ),
  );
}
