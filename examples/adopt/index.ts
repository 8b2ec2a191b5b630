import * as pulumi from "@pulumi/pulumi";
import { SecurityGroupMembership } from "pulumi-alicloud-sg-membership";

/**
 * legacy-01 (seed.json) was put in db-clients by hand before this stack existed. `adoptExisting` makes create accept
 * that membership instead of failing, and the stack manages it from then on: `pulumi destroy` removes it.
 */
export function adopt(config: pulumi.Config): SecurityGroupMembership[] {
  return [
    new SecurityGroupMembership("legacy-in-db-clients", {
      instanceId: config.get("legacyInstanceId") ?? "i-bp1legacy01",
      securityGroupId: "sg-bp1dbclients",
      adoptExisting: config.getBoolean("adoptExisting") ?? true,
    }),
  ];
}
