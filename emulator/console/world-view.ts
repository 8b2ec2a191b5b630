import type { World, WorldSettings } from "../models";

/** A security group as the console shows it. */
export interface GroupRow {
  id: string;
  name: string;
  vpcId: string;
  type: string;
}

/** An instance or a secondary ENI, with the groups it is in. */
export interface TargetRow {
  id: string;
  kind: "instance" | "eni";
  vpcId: string;
  /** An instance's status; for an ENI, InUse (attached) or Available. */
  status: string;
  locked: boolean;
  groups: string[];
  name?: string;
  /** For an ENI, the instance it is attached to. */
  instanceId?: string;
  /** Epoch ms when a transitional status settles (the hub looks again then). */
  settlesAt?: number;
}

/** The world without its access keys: what the console may show. */
export interface WorldView {
  groups: GroupRow[];
  targets: TargetRow[];
  settings: WorldSettings;
}

export function worldView(world: World): WorldView {
  const { securityGroups, instances, networkInterfaces } = world.snapshot();
  return {
    groups: securityGroups.map((g) => ({ id: g.securityGroupId, name: g.securityGroupName, vpcId: g.vpcId, type: g.securityGroupType ?? "normal" })),
    targets: [
      ...instances.map((i): TargetRow => ({
        id: i.instanceId,
        kind: "instance",
        vpcId: i.vpcId,
        status: i.status,
        locked: i.locked,
        groups: [...i.securityGroupIds],
        ...(i.instanceName === undefined ? {} : { name: i.instanceName }),
        ...(typeof i.transitionEndsAt === "number" ? { settlesAt: i.transitionEndsAt } : {}),
      })),
      ...networkInterfaces.map((n): TargetRow => ({
        id: n.networkInterfaceId,
        kind: "eni",
        vpcId: n.vpcId,
        status: n.instanceId ? "InUse" : "Available",
        locked: false,
        groups: [...n.securityGroupIds],
        ...(n.instanceId ? { instanceId: n.instanceId } : {}),
      })),
    ],
    settings: world.settings,
  };
}
