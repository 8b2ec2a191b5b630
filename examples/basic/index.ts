import * as pulumi from "@pulumi/pulumi";
import { SecurityGroupMembership } from "pulumi-alicloud-sg-membership";

/** Two instances (seed.json: web-01 Running, app-01 Stopped) each join one extra group, db-clients unless configured. */
export function basic(config: pulumi.Config): SecurityGroupMembership[] {
  const securityGroupId = config.get("extraGroupId") ?? "sg-bp1dbclients";
  const retainOnDelete = config.getBoolean("retainOnDelete") ?? false;
  const instances = { web: config.get("webInstanceId") ?? "i-bp1web01", app: config.get("appInstanceId") ?? "i-bp1app01" };
  return Object.entries(instances).map(
    ([role, instanceId]) => new SecurityGroupMembership(`${role}-extra-group`, { instanceId, securityGroupId }, { retainOnDelete }),
  );
}
