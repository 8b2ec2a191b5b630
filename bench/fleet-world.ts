/** What the fleet benchmarks share: a world of instances in one base group, and the state's bytes per resource. */
import type { Seed } from "../emulator";
import type { Credentials } from "../testing/credentials";

export const REGION = "cn-hangzhou";

export interface FleetWorld {
  key: Credentials;
  vpc: string;
  baseGroup: string;
  instances: string[];
  groups: string[];
  /** Added to every ECS action, so calls cost what they cost over a network. */
  latencyMs: number;
}

/** Every instance Running in the base group only; every group in one VPC; room for all groups on each instance. */
export function fleetSeed(world: FleetWorld, settings: Seed["settings"] = {}): Seed {
  return {
    accessKeys: [world.key],
    vpcs: [{ vpcId: world.vpc, regionId: REGION }],
    securityGroups: [world.baseGroup, ...world.groups].map((securityGroupId) => ({
      securityGroupId,
      regionId: REGION,
      vpcId: world.vpc,
      securityGroupName: securityGroupId,
    })),
    instances: world.instances.map((id) => ({
      instanceId: id,
      regionId: REGION,
      vpcId: world.vpc,
      status: "Running",
      securityGroupIds: [world.baseGroup],
      locked: false,
    })),
    networkInterfaces: [],
    settings: { maxSecurityGroupsPerTarget: world.groups.length + 1, ...settings },
    faults: world.latencyMs > 0 ? [{ action: "*", kind: "latency", latencyMs: world.latencyMs }] : [],
  } as Seed;
}

/** The serialized state's bytes per resource of one type: what the engine rewrites for every step. */
export function stateBytesPerResource(exported: string, type: string): number {
  const resources = (JSON.parse(exported).deployment.resources as { type: string }[]).filter((r) => r.type === type);
  return Math.round(resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / Math.max(1, resources.length));
}
