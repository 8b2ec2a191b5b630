import type { ActionResult } from "./contract";
import { countGroupUsers } from "./lookup";
import type { Store } from "./store";
import type { Instance, NetworkInterface, SecurityGroup } from "./types";

/** Entities as ECS's JSON shows them: PascalCase, lists wrapped in an object named for their element. */

export const wrap = (element: string, items: readonly unknown[]) => ({ [element]: [...items] });

export function renderInstance(store: Store, instance: Instance): ActionResult {
  return {
    InstanceId: instance.instanceId,
    InstanceName: instance.instanceName ?? "",
    RegionId: instance.regionId,
    Status: instance.status,
    InstanceNetworkType: "vpc",
    SecurityGroupIds: wrap("SecurityGroupId", store.shownGroupIds(instance.instanceId, instance.securityGroupIds)),
    VpcAttributes: { VpcId: instance.vpcId, VSwitchId: "", NatIpAddress: "", PrivateIpAddress: wrap("IpAddress", []) },
    OperationLocks: wrap("LockReason", instance.locked ? [{ LockReason: "security" }] : []),
    NetworkInterfaces: wrap("NetworkInterface", interfacesOf(store, instance)),
  };
}

function interfacesOf(store: Store, instance: Instance): ActionResult[] {
  const primary = instance.primaryNetworkInterfaceId;
  const secondaries = [...store.networkInterfaces.values()].filter((eni) => eni.instanceId === instance.instanceId);
  return [
    ...(primary === undefined ? [] : [{ NetworkInterfaceId: primary, Type: "Primary" }]),
    ...secondaries.map((eni) => ({ NetworkInterfaceId: eni.networkInterfaceId, Type: "Secondary" })),
  ];
}

export function renderSecurityGroup(store: Store, group: SecurityGroup): ActionResult {
  return {
    SecurityGroupId: group.securityGroupId,
    SecurityGroupName: group.securityGroupName,
    SecurityGroupType: group.securityGroupType ?? "normal",
    VpcId: group.vpcId,
    Description: "",
    EcsCount: countGroupUsers(store, group.securityGroupId, (targetId, current) => store.shownGroupIds(targetId, current)),
  };
}

/** A row of DescribeNetworkInterfaces: a secondary ENI, or an instance's primary ENI (which shows the instance's groups). */
export type InterfaceRow = { type: "Primary"; owner: Instance; id: string } | { type: "Secondary"; eni: NetworkInterface };

/** What every row of DescribeNetworkInterfaces is filtered and rendered by; its group list as reads show it. */
export function interfaceFacts(store: Store, row: InterfaceRow) {
  const facts =
    row.type === "Primary"
      ? {
          id: row.id,
          regionId: row.owner.regionId,
          instanceId: row.owner.instanceId,
          vpcId: row.owner.vpcId,
          securityGroupIds: store.shownGroupIds(row.owner.instanceId, row.owner.securityGroupIds),
        }
      : {
          id: row.eni.networkInterfaceId,
          regionId: row.eni.regionId,
          instanceId: row.eni.instanceId ?? undefined,
          vpcId: row.eni.vpcId,
          securityGroupIds: store.shownGroupIds(row.eni.networkInterfaceId, row.eni.securityGroupIds),
        };
  return { ...facts, status: facts.instanceId === undefined ? "Available" : "InUse" };
}

export function renderInterface(store: Store, row: InterfaceRow): ActionResult {
  const facts = interfaceFacts(store, row);
  return {
    NetworkInterfaceId: facts.id,
    Type: row.type,
    Status: facts.status,
    InstanceId: facts.instanceId ?? "",
    VpcId: facts.vpcId,
    SecurityGroupIds: wrap("SecurityGroupId", facts.securityGroupIds),
  };
}
