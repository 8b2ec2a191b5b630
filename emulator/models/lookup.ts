import { ecsErrors } from "./ecsErrors";
import { isWellFormedId } from "./ids";
import type { Store } from "./store";
import type { Instance, NetworkInterface, SecurityGroup, Vpc } from "./types";

/** Finding entities by the IDs a request names: malformed IDs and IDs outside the request's region fail as ECS fails them. */

export function findInstance(store: Store, instanceId: string, regionId?: string): Instance {
  if (!isWellFormedId("instance", instanceId)) throw ecsErrors.instanceMalformed();
  const instance = store.instances.get(instanceId);
  if (!instance || (regionId !== undefined && instance.regionId !== regionId)) throw ecsErrors.instanceNotFound();
  return instance;
}

export function findSecurityGroup(store: Store, securityGroupId: string, regionId?: string): SecurityGroup {
  if (!isWellFormedId("securityGroup", securityGroupId)) throw ecsErrors.securityGroupMalformed();
  const group = store.securityGroups.get(securityGroupId);
  if (!group || (regionId !== undefined && group.regionId !== regionId)) throw ecsErrors.securityGroupNotFound();
  return group;
}

export function findVpc(store: Store, vpcId: string, regionId: string): Vpc {
  if (!isWellFormedId("vpc", vpcId)) throw ecsErrors.vpcMalformed();
  const vpc = store.vpcs.get(vpcId);
  if (!vpc || vpc.regionId !== regionId) throw ecsErrors.vpcNotFound();
  return vpc;
}

/** A secondary ENI, or the primary ENI of an instance (which shares the instance's group list). */
export type FoundInterface = { kind: "secondary"; eni: NetworkInterface } | { kind: "primary"; owner: Instance };

export function findNetworkInterface(store: Store, networkInterfaceId: string, regionId: string): FoundInterface {
  if (!isWellFormedId("networkInterface", networkInterfaceId)) throw ecsErrors.eniMalformed();
  const eni = store.networkInterfaces.get(networkInterfaceId);
  if (eni && eni.regionId === regionId) return { kind: "secondary", eni };
  const owner = store.primaryOwner(networkInterfaceId);
  if (owner && owner.regionId === regionId) return { kind: "primary", owner };
  throw ecsErrors.eniNotFound();
}

/** A target's group list, given its ID (instance ID for a primary list, ENI ID otherwise) and its current list. */
type GroupListView = (targetId: string, current: readonly string[]) => readonly string[];

/** How many instances and secondary ENIs have the group in their list (DeleteSecurityGroup refuses while any does);
 *  `view` gives the lists as a read shows them instead of the current ones. */
export function countGroupUsers(store: Store, securityGroupId: string, view: GroupListView = (_id, current) => current): number {
  const instances = [...store.instances.values()].filter((i) => view(i.instanceId, i.securityGroupIds).includes(securityGroupId));
  const enis = [...store.networkInterfaces.values()].filter((n) => view(n.networkInterfaceId, n.securityGroupIds).includes(securityGroupId));
  return instances.length + enis.length;
}

/** Groups without a type are basic ("normal") ones, as in ECS. */
export function groupType(store: Store, securityGroupId: string): string {
  return store.securityGroups.get(securityGroupId)?.securityGroupType ?? "normal";
}
