import type { AccessKey } from "./contract";

/** Instance states ECS reports. Pending, Starting and Stopping are transitional: they settle by clock time. */
export const INSTANCE_STATUSES = ["Pending", "Starting", "Running", "Stopping", "Stopped"] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** ECS calls advanced groups "enterprise"; a target never mixes the two types. */
export const SECURITY_GROUP_TYPES = ["normal", "enterprise"] as const;
export type SecurityGroupType = (typeof SECURITY_GROUP_TYPES)[number];

export const NOT_MEMBER_ERROR_CODES = ["InstanceNotInSecurityGroup", "InvalidSecurityGroupAssociation.NotFound"] as const;
export type NotMemberErrorCode = (typeof NOT_MEMBER_ERROR_CODES)[number];

export interface Vpc {
  vpcId: string;
  regionId: string;
}

export interface SecurityGroup {
  securityGroupId: string;
  regionId: string;
  vpcId: string;
  securityGroupName: string;
  /** Defaults to "normal". */
  securityGroupType?: SecurityGroupType;
}

export interface Instance {
  instanceId: string;
  regionId: string;
  vpcId: string;
  status: InstanceStatus;
  securityGroupIds: string[];
  locked: boolean;
  instanceName?: string;
  /** The primary ENI shares the instance's group list; it is addressable by Join/Leave and listed by DescribeNetworkInterfaces. */
  primaryNetworkInterfaceId?: string;
  /** When a transitional status (Pending, Starting, Stopping) settles, epoch ms. Absent in a seed: now + the configured delay.
   *  null: held in the transitional status until a patch changes it (for tests of the in-between states). */
  transitionEndsAt?: number | null;
  /** End of the conflict window opened by the last Join/Leave on this target, epoch ms. */
  busyUntil?: number;
}

/** A secondary ENI: its group list is its own, separate from its instance's primary list. */
export interface NetworkInterface {
  networkInterfaceId: string;
  regionId: string;
  vpcId: string;
  /** Absent or null: not attached (Status "Available"). */
  instanceId?: string | null;
  securityGroupIds: string[];
  busyUntil?: number;
}

export interface StatusDelaysMs {
  pendingToRunning: number;
  startingToRunning: number;
  stoppingToStopped: number;
}

export interface WorldSettings {
  notMemberErrorCode: NotMemberErrorCode;
  maxSecurityGroupsPerTarget: number;
  statusDelaysMs: StatusDelaysMs;
  /** 0 = off. Otherwise a Join/Leave keeps its target busy this long; another one on it meanwhile gets InvalidOperation.Conflict. */
  conflictWindowMs: number;
  /** 0 = off. Otherwise Describe* show a target's group list as it was this long ago; the rules of the actions see the
   *  current list. */
  readAfterWriteLagMs: number;
}

export const DEFAULT_SETTINGS: WorldSettings = {
  notMemberErrorCode: "InstanceNotInSecurityGroup",
  maxSecurityGroupsPerTarget: 5,
  statusDelaysMs: { pendingToRunning: 2000, startingToRunning: 1000, stoppingToStopped: 1000 },
  conflictWindowMs: 0,
  readAfterWriteLagMs: 0,
};

/** Settings as a seed or a patch gives them: any subset, of statusDelaysMs too. */
export type SettingsPatch = Partial<Omit<WorldSettings, "statusDelaysMs">> & { statusDelaysMs?: Partial<StatusDelaysMs> };

/** The seed file, and what snapshot() returns. */
export interface Seed {
  accessKeys: AccessKey[];
  vpcs: Vpc[];
  securityGroups: SecurityGroup[];
  instances: Instance[];
  networkInterfaces: NetworkInterface[];
  settings?: SettingsPatch;
  /** Owned by the wire layer: carried through untouched. */
  faults?: unknown[];
  rngSeed?: number;
  /** Next number for generated IDs, so a restarted world never reissues one. */
  idCounter?: number;
}
