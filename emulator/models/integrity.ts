import { Problems } from "./schema-errors";
import type { AccessKey, Instance, NetworkInterface, SecurityGroup, Vpc } from "./types";

export interface Entities {
  accessKeys: AccessKey[];
  vpcs: Vpc[];
  securityGroups: SecurityGroup[];
  instances: Instance[];
  networkInterfaces: NetworkInterface[];
}

/**
 * The invariants every world keeps, whether it comes from a seed, a snapshot or a patch:
 * unique IDs, references that resolve, and every target in at least one group of its own VPC and region.
 * Group type mixing and the group limit are not invariants: they are rules of Join, so a seed may break them on purpose.
 */
export function checkIntegrity(world: Entities): void {
  const problems = new Problems();
  const fail = (path: string, why: string): undefined => void problems.add(path, why);
  unique(world.accessKeys, "accessKeys", (k) => k.accessKeyId, fail);
  unique(world.vpcs, "vpcs", (v) => v.vpcId, fail);
  unique(world.securityGroups, "securityGroups", (g) => g.securityGroupId, fail);
  unique(world.instances, "instances", (i) => i.instanceId, fail);
  unique(world.networkInterfaces, "networkInterfaces", (n) => n.networkInterfaceId, fail);

  const vpcs = new Map(world.vpcs.map((v) => [v.vpcId, v]));
  const groups = new Map(world.securityGroups.map((g) => [g.securityGroupId, g]));
  const instances = new Map(world.instances.map((i) => [i.instanceId, i]));
  const placed = (what: { regionId: string; vpcId: string }, path: string) => {
    const vpc = vpcs.get(what.vpcId) ?? fail(`${path}.vpcId`, `no VPC ${what.vpcId} in vpcs`);
    if (vpc && vpc.regionId !== what.regionId) fail(`${path}.regionId`, `${what.regionId} differs from the region of ${vpc.vpcId} (${vpc.regionId})`);
  };
  const memberOf = (target: { vpcId: string; securityGroupIds: string[] }, path: string) => {
    if (target.securityGroupIds.length === 0) fail(`${path}.securityGroupIds`, "must hold at least one group (ECS keeps every target in one)");
    target.securityGroupIds.forEach((id, i) => {
      const at = `${path}.securityGroupIds[${i}]`;
      const group = groups.get(id) ?? fail(at, `no security group ${id} in securityGroups`);
      if (group && group.vpcId !== target.vpcId) fail(at, `${id} is in ${group.vpcId}, not in ${target.vpcId}`);
      if (target.securityGroupIds.indexOf(id) !== i) fail(at, `${id} is listed twice`);
    });
  };

  world.securityGroups.forEach((g, i) => placed(g, `securityGroups[${i}]`));
  const eniIds = new Set(world.networkInterfaces.map((n) => n.networkInterfaceId));
  world.instances.forEach((inst, i) => {
    const path = `instances[${i}]`;
    placed(inst, path);
    memberOf(inst, path);
    const primary = inst.primaryNetworkInterfaceId;
    if (primary !== undefined) {
      if (eniIds.has(primary)) fail(`${path}.primaryNetworkInterfaceId`, `${primary} is already used by another network interface`);
      eniIds.add(primary);
    }
  });
  world.networkInterfaces.forEach((eni, i) => {
    const path = `networkInterfaces[${i}]`;
    placed(eni, path);
    memberOf(eni, path);
    if (eni.instanceId == null) return;
    const owner = instances.get(eni.instanceId) ?? fail(`${path}.instanceId`, `no instance ${eni.instanceId} in instances`);
    if (owner && owner.vpcId !== eni.vpcId) fail(`${path}.vpcId`, `${eni.vpcId} differs from the VPC of ${owner.instanceId} (${owner.vpcId})`);
  });
  // Every broken invariant at once: a seed written by hand is fixed in one pass, not one error per start.
  problems.throwIfAny();
}

function unique<T>(items: readonly T[], path: string, key: (item: T) => string, fail: (path: string, why: string) => void): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const id = key(item);
    if (seen.has(id)) fail(`${path}[${i}]`, `duplicate ID ${id}`);
    seen.add(id);
  });
}
