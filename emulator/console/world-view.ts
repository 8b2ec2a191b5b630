import type { World } from "../models";
import type { TargetRow, WorldView } from "./types";

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
