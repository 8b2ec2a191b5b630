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
    SecurityGroupIds: wrap("SecurityGroupId", instance.securityGroupIds),
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
    EcsCount: countGroupUsers(store, group.securityGroupId),
  };
}

/** A row of DescribeNetworkInterfaces: a secondary ENI, or an instance's primary ENI (which shows the instance's groups). */
export type InterfaceRow = { type: "Primary"; owner: Instance; id: string } | { type: "Secondary"; eni: NetworkInterface };

export function renderInterface(row: InterfaceRow): ActionResult {
  const common =
    row.type === "Primary"
      ? { NetworkInterfaceId: row.id, InstanceId: row.owner.instanceId, VpcId: row.owner.vpcId, SecurityGroupIds: row.owner.securityGroupIds }
      : { NetworkInterfaceId: row.eni.networkInterfaceId, InstanceId: row.eni.instanceId ?? "", VpcId: row.eni.vpcId, SecurityGroupIds: row.eni.securityGroupIds };
  return {
    NetworkInterfaceId: common.NetworkInterfaceId,
    Type: row.type,
    Status: common.InstanceId === "" ? "Available" : "InUse",
    InstanceId: common.InstanceId,
    VpcId: common.VpcId,
    SecurityGroupIds: wrap("SecurityGroupId", common.SecurityGroupIds),
  };
}
