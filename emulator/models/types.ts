import type { z } from "zod";
import type {
  accessKeySchema,
  INSTANCE_STATUSES,
  instanceSchema,
  networkInterfaceSchema,
  NOT_MEMBER_ERROR_CODES,
  patchSchema,
  SECURITY_GROUP_TYPES,
  securityGroupSchema,
  seedSchema,
  settingsPatchSchema,
  vpcSchema,
  worldSettingsSchema,
} from "./schemas";

/** The world's types, inferred from its schemas (models/schemas.ts), so each shape is declared once. */
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
export type SecurityGroupType = (typeof SECURITY_GROUP_TYPES)[number];
export type NotMemberErrorCode = (typeof NOT_MEMBER_ERROR_CODES)[number];
export type AccessKey = z.output<typeof accessKeySchema>;
export type Vpc = z.output<typeof vpcSchema>;
export type SecurityGroup = z.output<typeof securityGroupSchema>;
export type Instance = z.output<typeof instanceSchema>;
export type NetworkInterface = z.output<typeof networkInterfaceSchema>;
export type WorldSettings = z.output<typeof worldSettingsSchema>;
export type SettingsPatch = z.output<typeof settingsPatchSchema>;
export type WorldPatch = z.output<typeof patchSchema>;
/** The seed file, and what snapshot() returns. */
export type Seed = z.output<typeof seedSchema>;

export const DEFAULT_SETTINGS: WorldSettings = {
  notMemberErrorCode: "InstanceNotInSecurityGroup",
  maxSecurityGroupsPerTarget: 5,
  statusDelaysMs: { pendingToRunning: 2000, startingToRunning: 1000, stoppingToStopped: 1000 },
  conflictWindowMs: 0,
  readAfterWriteLagMs: 0,
  flowControl: {},
  flowControlWindowMs: 60_000,
};
