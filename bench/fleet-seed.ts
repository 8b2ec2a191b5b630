/** The world of the fleet benchmarks: one VPC, a base group every instance starts in, and the groups to join. */
import type { Seed } from "../emulator";

export interface Fleet {
  key: { accessKeyId: string; accessKeySecret: string };
  region: string;
  vpc: string;
  baseGroup: string;
  groups: string[];
  instances: string[];
}

/** Running instances in the base group only, each allowed every group; `extra` adds settings and fault rules. */
export function fleetSeed(fleet: Fleet, extra: { settings?: Seed["settings"]; faults?: unknown[] } = {}): Seed {
  const { region: regionId, vpc: vpcId } = fleet;
  return {
    accessKeys: [fleet.key],
    vpcs: [{ vpcId, regionId }],
    securityGroups: [fleet.baseGroup, ...fleet.groups].map((securityGroupId) => ({
      securityGroupId,
      regionId,
      vpcId,
      securityGroupName: securityGroupId,
    })),
    instances: fleet.instances.map((instanceId) => ({
      instanceId,
      regionId,
      vpcId,
      status: "Running",
      securityGroupIds: [fleet.baseGroup],
      locked: false,
    })),
    networkInterfaces: [],
    settings: { maxSecurityGroupsPerTarget: fleet.groups.length + 1, ...extra.settings },
    faults: extra.faults ?? [],
  };
}
