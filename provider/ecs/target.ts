/**
 * What a membership is attached to (an instance or an elastic network interface) and how ECS last showed it.
 */

export type TargetKind = "instance" | "networkInterface";

export interface Target {
  kind: TargetKind;
  id: string;
  regionId: string;
}

/** A target as a Describe call showed it. */
export interface TargetState extends Target {
  /** Instance: Pending, Starting, Running, Stopping, Stopped. ENI: Available, InUse, Attaching, ... */
  status: string;
  securityGroupIds: string[];
}

export function describeTarget(target: Target): string {
  return target.kind === "instance" ? `instance ${target.id}` : `network interface ${target.id}`;
}

export function isMember(state: TargetState | undefined, securityGroupId: string): boolean {
  return !!state && state.securityGroupIds.includes(securityGroupId);
}

/** Per region and kind: what one Describe call can cover. */
export function queueKey(where: Pick<Target, "kind" | "regionId">): string {
  return `${where.kind}|${where.regionId}`;
}

/** One target of one region: the key of its recent state and its lock. */
export function targetKey(target: Target): string {
  return `${queueKey(target)}|${target.id}`;
}
