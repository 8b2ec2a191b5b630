import * as pulumi from "@pulumi/pulumi";
import { SecurityGroupMembership } from "pulumi-alicloud-sg-membership";

/**
 * Memberships of elastic network interfaces: an ENI has its own group list, apart from its instance's primary one.
 * seed.json has a secondary ENI attached to db-01 and a spare, unattached one.
 */
export function eni(config: pulumi.Config): SecurityGroupMembership[] {
  const securityGroupId = config.get("eniGroupId") ?? "sg-bp1replication";
  const enis = { storage: "eni-bp1db01storage", spare: "eni-bp1spare" };
  return Object.entries(enis).map(
    ([role, networkInterfaceId]) => new SecurityGroupMembership(`${role}-eni-replication`, { networkInterfaceId, securityGroupId }),
  );
}
