import { z } from "zod";
import { isWellFormedId, type IdKind } from "./ids";
import { boundedInteger, LIMITS } from "./limits";
import { INSTANCE_NAME_RULE, isValidInstanceName } from "./names";
import { describe, mustBe } from "./schema-errors";

/**
 * The shapes of a seed, a world patch and world settings, each declared once: the types are inferred from these
 * schemas, and their messages name what a value must be (paths are added by parseOrFail).
 */

export const INSTANCE_STATUSES = ["Pending", "Starting", "Running", "Stopping", "Stopped"] as const;
/** ECS calls advanced groups "enterprise"; a target never mixes the two types. */
export const SECURITY_GROUP_TYPES = ["normal", "enterprise"] as const;
export const NOT_MEMBER_ERROR_CODES = ["InstanceNotInSecurityGroup", "InvalidSecurityGroupAssociation.NotFound"] as const;

const nonEmpty = z.string({ error: mustBe("a non-empty string") }).min(1, { error: mustBe("a non-empty string") });
/** Names may be empty, as ECS allows. */
const text = z.string({ error: mustBe("a string") });
const flag = z.boolean({ error: mustBe("true or false") });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: mustBe(`one of ${values.join(", ")}`) });
const listOf = <T extends z.ZodType>(item: T) => z.array(item, { error: mustBe("an array") });
const record = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: mustBe("an object") });
const idOf = (kind: IdKind) =>
  z.string({ error: mustBe("a non-empty string") }).refine((id) => isWellFormedId(kind, id), {
    error: (issue) => `must be a well-formed ${kind} ID (prefix, then [a-z0-9]+), got ${describe(issue.input)}`,
  });
const instanceName = z.string({ error: mustBe(INSTANCE_NAME_RULE) }).refine(isValidInstanceName, { error: mustBe(INSTANCE_NAME_RULE) });
const epochMs = boundedInteger(LIMITS.epochMs);
const worldDelay = boundedInteger(LIMITS.worldDelayMs);

export const accessKeySchema = record({
  accessKeyId: nonEmpty,
  accessKeySecret: nonEmpty,
  /** Mutating actions are refused (Forbidden.RAM). */
  readOnly: flag.optional(),
  /** STS credentials: requests must carry this SecurityToken. */
  securityToken: nonEmpty.optional(),
  disabled: flag.optional(),
  /** The account the key belongs to (a RAM user's key, or one of several keys): its keys share the account's flow
   *  control. Absent: the one default account. */
  account: nonEmpty.optional(),
});

export const vpcSchema = record({ vpcId: idOf("vpc"), regionId: nonEmpty });

export const securityGroupSchema = record({
  securityGroupId: idOf("securityGroup"),
  regionId: nonEmpty,
  vpcId: idOf("vpc"),
  securityGroupName: text,
  /** Defaults to "normal". */
  securityGroupType: oneOf(SECURITY_GROUP_TYPES).optional(),
});

export const instanceSchema = record({
  instanceId: idOf("instance"),
  regionId: nonEmpty,
  vpcId: idOf("vpc"),
  /** Pending, Starting and Stopping are transitional: they settle by clock time. */
  status: oneOf(INSTANCE_STATUSES),
  securityGroupIds: listOf(idOf("securityGroup")),
  locked: flag,
  instanceName: instanceName.optional(),
  /** The primary ENI shares the instance's group list; it is addressable by Join/Leave and listed by DescribeNetworkInterfaces. */
  primaryNetworkInterfaceId: idOf("networkInterface").optional(),
  /** When a transitional status settles, epoch ms. Absent in a seed: now + the configured delay.
   *  null: held in the transitional status until a patch changes it (for tests of the in-between states). */
  transitionEndsAt: epochMs.nullable().optional(),
  /** End of the conflict window opened by the last Join/Leave on this target, epoch ms. */
  busyUntil: epochMs.optional(),
});

/** A secondary ENI: its group list is its own, separate from its instance's primary list. */
export const networkInterfaceSchema = record({
  networkInterfaceId: idOf("networkInterface"),
  regionId: nonEmpty,
  vpcId: idOf("vpc"),
  /** Absent or null: not attached (Status "Available"). */
  instanceId: idOf("instance").nullable().optional(),
  securityGroupIds: listOf(idOf("securityGroup")),
  busyUntil: epochMs.optional(),
});

const statusDelaysMsSchema = record({ pendingToRunning: worldDelay, startingToRunning: worldDelay, stoppingToStopped: worldDelay });

export const worldSettingsSchema = record({
  notMemberErrorCode: oneOf(NOT_MEMBER_ERROR_CODES),
  maxSecurityGroupsPerTarget: boundedInteger(LIMITS.maxSecurityGroupsPerTarget),
  statusDelaysMs: statusDelaysMsSchema,
  /** 0 = off. Otherwise a Join/Leave keeps its target busy this long; another one on it meanwhile gets InvalidOperation.Conflict. */
  conflictWindowMs: worldDelay,
  /** 0 = off. Otherwise Describe* show a target's group list as it was this long ago; the rules of the actions see the
   *  current list. */
  readAfterWriteLagMs: boundedInteger(LIMITS.readAfterWriteLagMs),
  /** ECS's flow control: calls an account may make of an action in one region per window (absent action: no limit).
   *  Beyond it, 400 Throttling.User until the next window. */
  flowControl: z.record(nonEmpty, boundedInteger(LIMITS.flowControlCalls), { error: mustBe("an object of action: calls per window") }),
  /** The flow-control window: a calendar minute on ECS; shorter for tests and benchmarks that cannot wait minutes. */
  flowControlWindowMs: boundedInteger(LIMITS.flowControlWindowMs),
});

/** Settings as a seed or a patch gives them: any subset, of statusDelaysMs too. */
export const settingsPatchSchema = worldSettingsSchema.extend({ statusDelaysMs: statusDelaysMsSchema.partial() }).partial();

export const seedSchema = record({
  accessKeys: listOf(accessKeySchema).default([]),
  vpcs: listOf(vpcSchema).default([]),
  securityGroups: listOf(securityGroupSchema).default([]),
  instances: listOf(instanceSchema).default([]),
  networkInterfaces: listOf(networkInterfaceSchema).default([]),
  settings: settingsPatchSchema.optional(),
  /** Owned by the wire layer (fault injection): carried through untouched. */
  faults: listOf(z.unknown()).optional(),
  rngSeed: boundedInteger(LIMITS.rngSeed).optional(),
  /** Next number for generated IDs, so a restarted world never reissues one. */
  idCounter: boundedInteger(LIMITS.idCounter).optional(),
});

const idList = listOf(nonEmpty).optional();

/** POST /_emulator/world: entities to change or create (by ID, any subset of their fields), IDs to remove, settings. */
export const patchSchema = record({
  upsert: record({
    vpcs: listOf(vpcSchema.partial()).optional(),
    securityGroups: listOf(securityGroupSchema.partial()).optional(),
    instances: listOf(instanceSchema.partial()).optional(),
    networkInterfaces: listOf(networkInterfaceSchema.partial()).optional(),
  }).optional(),
  remove: record({ securityGroups: idList, instances: idList, networkInterfaces: idList }).optional(),
  settings: settingsPatchSchema.optional(),
});
