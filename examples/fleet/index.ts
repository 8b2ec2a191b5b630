import * as pulumi from "@pulumi/pulumi";
import { SecurityGroupMembership, TYPE_TOKEN } from "pulumi-alicloud-sg-membership";

const SEED_INSTANCES = Array.from({ length: 12 }, (_, i) => `i-bp1fleet${String(i + 1).padStart(2, "0")}`);
const SEED_GROUPS = ["sg-bp1fleet1", "sg-bp1fleet2", "sg-bp1fleet3", "sg-bp1fleet4"];

/**
 * The provider plugin's resource, as a program in any language declares it. Its alias is the dynamic resource's type, so
 * a stack of dynamic memberships moves to the plugin with no ECS call that changes anything (README, "Moving a stack
 * from the dynamic resource to the plugin").
 */
class PluginMembership extends pulumi.CustomResource {
  constructor(name: string, args: pulumi.Inputs) {
    super("alicloud-sg-membership:index:SecurityGroupMembership", name, args, { aliases: [{ type: TYPE_TOKEN }] });
  }
}

/**
 * Every instance of the fleet in every listed group: N × M memberships from stack config (the scale example), with an
 * optional `fleetOperationTimeoutSeconds` for each; `fleetFace: plugin` declares them as the provider plugin's resource
 * instead of the dynamic one.
 */
export function fleet(config: pulumi.Config): pulumi.CustomResource[] {
  const instanceIds = config.getObject<string[]>("fleetInstanceIds") ?? SEED_INSTANCES;
  const groupIds = config.getObject<string[]>("fleetGroupIds") ?? SEED_GROUPS;
  const operationTimeoutSeconds = config.getNumber("fleetOperationTimeoutSeconds");
  const plugin = config.get("fleetFace") === "plugin";
  return instanceIds.flatMap((instanceId) =>
    groupIds.map((securityGroupId) => {
      const name = `${instanceId}-in-${securityGroupId}`;
      const args = { instanceId, securityGroupId, operationTimeoutSeconds };
      return plugin ? new PluginMembership(name, args) : new SecurityGroupMembership(name, args);
    }),
  );
}
