import type { AccessKey } from "./contract";
import {
  INSTANCE_STATUSES,
  NOT_MEMBER_ERROR_CODES,
  SECURITY_GROUP_TYPES,
  type Instance,
  type NetworkInterface,
  type SecurityGroup,
  type SettingsPatch,
  type StatusDelaysMs,
  type Vpc,
  type WorldSettings,
} from "./types";
import { LIMITS } from "./limits";
import { INSTANCE_NAME_RULE, isValidInstanceName } from "./names";
import {
  arrayOf,
  bounded,
  checkFields,
  checkKeys,
  describe,
  fail,
  type Check,
  idOf,
  isBoolean,
  isObject,
  isString,
  isText,
  oneOf,
  optional,
  orNull,
  requireAll,
  required,
  type EntitySchema,
} from "./validate";

const groupIds = arrayOf(idOf("securityGroup"));

const isInstanceName: Check<string> = (value, path) =>
  isValidInstanceName(isText(value, path)) ? (value as string) : fail(path, `must be ${INSTANCE_NAME_RULE}, got ${describe(value)}`);

export const accessKeySchema: EntitySchema = {
  accessKeyId: required(isString),
  accessKeySecret: required(isString),
  readOnly: optional(isBoolean),
  securityToken: optional(isString),
  disabled: optional(isBoolean),
};

export const vpcSchema: EntitySchema = {
  vpcId: required(idOf("vpc")),
  regionId: required(isString),
};

export const securityGroupSchema: EntitySchema = {
  securityGroupId: required(idOf("securityGroup")),
  regionId: required(isString),
  vpcId: required(idOf("vpc")),
  securityGroupName: required(isText),
  securityGroupType: optional(oneOf(SECURITY_GROUP_TYPES)),
};

export const instanceSchema: EntitySchema = {
  instanceId: required(idOf("instance")),
  regionId: required(isString),
  vpcId: required(idOf("vpc")),
  status: required(oneOf(INSTANCE_STATUSES)),
  securityGroupIds: required(groupIds),
  locked: required(isBoolean),
  instanceName: optional(isInstanceName),
  primaryNetworkInterfaceId: optional(idOf("networkInterface")),
  transitionEndsAt: optional(orNull(bounded(LIMITS.epochMs))),
  busyUntil: optional(bounded(LIMITS.epochMs)),
};

export const networkInterfaceSchema: EntitySchema = {
  networkInterfaceId: required(idOf("networkInterface")),
  regionId: required(isString),
  vpcId: required(idOf("vpc")),
  instanceId: optional(orNull(idOf("instance"))),
  securityGroupIds: required(groupIds),
  busyUntil: optional(bounded(LIMITS.epochMs)),
};

function fullEntity<T>(schema: EntitySchema): (value: unknown, path: string) => T {
  return (value, path) => {
    const entity = checkFields(schema, value, path);
    requireAll(schema, entity, path);
    return entity as T;
  };
}

export const parseAccessKey = fullEntity<AccessKey>(accessKeySchema);
export const parseVpc = fullEntity<Vpc>(vpcSchema);
export const parseSecurityGroup = fullEntity<SecurityGroup>(securityGroupSchema);
export const parseInstance = fullEntity<Instance>(instanceSchema);
export const parseNetworkInterface = fullEntity<NetworkInterface>(networkInterfaceSchema);


const DELAY_KEYS: readonly (keyof StatusDelaysMs)[] = ["pendingToRunning", "startingToRunning", "stoppingToStopped"];
const SETTINGS_KEYS: readonly (keyof WorldSettings)[] = [
  "notMemberErrorCode",
  "maxSecurityGroupsPerTarget",
  "statusDelaysMs",
  "conflictWindowMs",
  "readAfterWriteLagMs",
];

export function parseSettings(value: unknown, path: string): SettingsPatch {
  const raw = isObject(value, path);
  checkKeys(raw, SETTINGS_KEYS, path);
  const out: SettingsPatch = {};
  if (raw.notMemberErrorCode !== undefined) out.notMemberErrorCode = oneOf(NOT_MEMBER_ERROR_CODES)(raw.notMemberErrorCode, `${path}.notMemberErrorCode`);
  if (raw.maxSecurityGroupsPerTarget !== undefined)
    out.maxSecurityGroupsPerTarget = bounded(LIMITS.maxSecurityGroupsPerTarget)(raw.maxSecurityGroupsPerTarget, `${path}.maxSecurityGroupsPerTarget`);
  if (raw.conflictWindowMs !== undefined) out.conflictWindowMs = bounded(LIMITS.worldDelayMs)(raw.conflictWindowMs, `${path}.conflictWindowMs`);
  if (raw.readAfterWriteLagMs !== undefined) {
    out.readAfterWriteLagMs = bounded(LIMITS.readAfterWriteLagMs)(raw.readAfterWriteLagMs, `${path}.readAfterWriteLagMs`);
  }
  if (raw.statusDelaysMs !== undefined) {
    const delaysPath = `${path}.statusDelaysMs`;
    const delays = isObject(raw.statusDelaysMs, delaysPath);
    checkKeys(delays, DELAY_KEYS, delaysPath);
    out.statusDelaysMs = {};
    for (const key of DELAY_KEYS) {
      if (delays[key] !== undefined) out.statusDelaysMs[key] = bounded(LIMITS.worldDelayMs)(delays[key], `${delaysPath}.${key}`);
    }
  }
  return out;
}

export function mergeSettings(base: WorldSettings, patch: SettingsPatch): WorldSettings {
  return { ...base, ...patch, statusDelaysMs: { ...base.statusDelaysMs, ...patch.statusDelaysMs } };
}
