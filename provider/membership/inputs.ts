/**
 * The resource's property bag as the dynamic provider sees it, and the validation `check` runs before anything
 * reaches ECS. Input can be anything a program computes, so every rule copes with any value (no prototype, huge,
 * control characters) and a failure quotes at most a short, printable prefix of it.
 */
import { OWN_CODES } from "../ecs/codes";
import { MembershipError } from "../ecs/errors";
import { isKnownRegion, nearestRegions } from "../ecs/regions";
import type { Target } from "../ecs/target";

export interface MembershipInputs {
  instanceId?: string;
  networkInterfaceId?: string;
  securityGroupId: string;
  regionId: string;
  adoptExisting?: boolean;
  operationTimeoutSeconds?: number;
  /** The resource's URN, so progress is logged against it (dynamic providers are not told their URN). */
  __urn?: string;
}

export interface MembershipOutputs extends MembershipInputs {
  /** Every group of the target as last seen. */
  securityGroupIds: string[];
}

export interface CheckFailure {
  property: string;
  reason: string;
  /** Set when every resource of a run shares the problem (a region from configuration): said after the first one. */
  brief?: string;
}

/** A warning of check, with `brief` as in CheckFailure. */
export interface CheckWarning {
  text: string;
  brief?: string;
}

/** What check knows of the configuration. */
export interface CheckContext {
  defaultRegion: string | undefined;
  /** Where defaultRegion came from ("the stack config alicloud:region"), named when it is the region at fault. */
  defaultRegionSource?: string;
  /** An explicitly configured endpoint may serve regions we do not know: an unknown region is then only a warning. */
  endpointConfigured: boolean;
}

export interface CheckOutcome {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
  warnings: CheckWarning[];
}

export const DEFAULT_OPERATION_TIMEOUT_SECONDS = 600;
const MAX_OPERATION_TIMEOUT_SECONDS = 24 * 3600;
/** ECS IDs are a prefix and about twenty characters; anything much longer is not an ID. */
export const MAX_ID_LENGTH = 64;
const MAX_REGION_LENGTH = 40;
const QUOTED_PREFIX = 40;

const ID_RULES = {
  instanceId: { prefix: "i-", what: "an ECS instance ID", example: "i-bp67acfmxazb4p1234" },
  networkInterfaceId: { prefix: "eni-", what: "an elastic network interface ID", example: "eni-bp125p95hhdhn3ot1234" },
  securityGroupId: { prefix: "sg-", what: "a security group ID", example: "sg-bp67acfmxazb4p1234" },
} as const;
const ID_BODY = /^[a-z0-9]+$/;
const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/**
 * How the engine spells a value not known yet (during preview), e.g. the ID of an instance still to be created: the
 * same string in the dynamic provider's property bags and on the plugin protocol's wire (tests hold it to the SDK's).
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A value as a failure may show it: a short printable prefix of a string, or what kind of value it is. */
export function quote(value: unknown): string {
  if (typeof value !== "string")
    return value === null ? "null" : Array.isArray(value) ? "an array" : `${/^[aeiou]/.test(typeof value) ? "an" : "a"} ${typeof value}`;
  const shown = JSON.stringify(value.length > QUOTED_PREFIX ? value.slice(0, QUOTED_PREFIX) : value);
  return value.length > QUOTED_PREFIX ? `${shown}… (${value.length} characters)` : shown;
}

function idFailure(property: keyof typeof ID_RULES, value: unknown): CheckFailure | undefined {
  const rule = ID_RULES[property];
  if (value === UNKNOWN_VALUE) return undefined;
  if (typeof value !== "string") return { property, reason: `must be a string, not ${quote(value)}: ${rule.what} such as ${rule.example}` };
  if (value.length > MAX_ID_LENGTH) return { property, reason: `${quote(value)} is not ${rule.what}: longer than ${MAX_ID_LENGTH} characters` };
  if (!value.startsWith(rule.prefix) || !ID_BODY.test(value.slice(rule.prefix.length))) {
    return {
      property,
      reason: `${quote(value)} is not ${rule.what}: expected "${rule.prefix}" followed by lower-case letters and digits, such as ${rule.example}`,
    };
  }
  return undefined;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function targetFailures(news: Record<string, unknown>): CheckFailure[] {
  const hasInstance = present(news.instanceId);
  const hasEni = present(news.networkInterfaceId);
  if (hasInstance && hasEni) {
    const reason = "give exactly one of instanceId and networkInterfaceId, not both";
    return [
      { property: "instanceId", reason },
      { property: "networkInterfaceId", reason },
    ];
  }
  if (!hasInstance && !hasEni) {
    return [{ property: "instanceId", reason: "give exactly one of instanceId and networkInterfaceId: neither was set" }];
  }
  const failure = hasInstance ? idFailure("instanceId", news.instanceId) : idFailure("networkInterfaceId", news.networkInterfaceId);
  return failure ? [failure] : [];
}

/**
 * A region from configuration is refused with no property: the engine shows a failure of a property as "property
 * regionId value {<nil>} has a problem" when the program did not set it, so the reason itself names where it came from.
 * Such a region is every resource's problem alike, so each message has a brief form for all but the first resource.
 */
function regionFailure(region: unknown, fromInput: boolean, context: CheckContext, warnings: CheckWarning[]): CheckFailure | undefined {
  const property = fromInput ? "regionId" : "";
  const shared = (brief: string) => (fromInput ? {} : { brief });
  if (region === undefined) {
    return {
      property,
      reason: "no region: set the regionId input, the stack config alicloud:region, or ALIBABA_CLOUD_REGION_ID / ALICLOUD_REGION in the environment",
      brief: "no region",
    };
  }
  if (region === UNKNOWN_VALUE) return undefined;
  const where = fromInput ? "" : `regionId from ${context.defaultRegionSource ?? "configuration"}: `;
  if (typeof region !== "string" || region.length > MAX_REGION_LENGTH || !REGION_ID.test(region)) {
    const notRegion = `${where}${quote(region)} is not a region ID`;
    return { property, reason: `${notRegion} such as cn-hangzhou or ap-southeast-1`, ...shared(notRegion) };
  }
  if (isKnownRegion(region)) return undefined;
  const nearest = nearestRegions(region);
  const unknown = `${region}: not an ECS region${nearest.length > 0 ? `; did you mean ${nearest.join(" or ")}?` : " (see the list in the README)"}`;
  const notEcs = `${where}${region}: not an ECS region`;
  if (!context.endpointConfigured) {
    return { property, reason: `${where}${unknown} (with an explicitly configured ECS endpoint, other regions are allowed)`, ...shared(notEcs) };
  }
  warnings.push({
    text: `${where || "regionId "}${unknown} It is used anyway, because an ECS endpoint is configured explicitly.`,
    ...shared(`${notEcs}, used anyway with the explicitly configured endpoint`),
  });
  return undefined;
}

function optionFailures(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (news.adoptExisting !== undefined && typeof news.adoptExisting !== "boolean") {
    failures.push({ property: "adoptExisting", reason: `must be true or false, not ${quote(news.adoptExisting)}` });
  }
  const timeout = news.operationTimeoutSeconds;
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0) || timeout > MAX_OPERATION_TIMEOUT_SECONDS)) {
    failures.push({
      property: "operationTimeoutSeconds",
      reason: `must be a number of seconds above 0 and at most ${MAX_OPERATION_TIMEOUT_SECONDS}`,
    });
  }
  return failures;
}

/** Validates new inputs and fills in the region from configuration, so state always records where the membership lives. */
export function checkInputs(news: Record<string, unknown>, context: CheckContext): CheckOutcome {
  const regionId = present(news.regionId) ? news.regionId : context.defaultRegion;
  const warnings: CheckWarning[] = [];
  const failures = [...targetFailures(news), ...optionFailures(news)];
  const sgFailure = idFailure("securityGroupId", news.securityGroupId);
  if (sgFailure) failures.push(sgFailure);
  const region = regionFailure(regionId, present(news.regionId), context, warnings);
  if (region) failures.push(region);
  const inputs: Record<string, unknown> = { ...news, regionId };
  for (const key of ["instanceId", "networkInterfaceId"]) if (!present(inputs[key])) delete inputs[key];
  return { inputs, failures, warnings };
}

/** The membership's target, from inputs or state that passed check. */
export function targetOf(props: MembershipInputs): Target {
  return props.instanceId
    ? { kind: "instance", id: props.instanceId, regionId: props.regionId }
    : { kind: "networkInterface", id: props.networkInterfaceId as string, regionId: props.regionId };
}

/** A membership's resource ID: `<instance or ENI ID>:<security group ID>`. */
export function membershipIdOf(targetId: string, securityGroupId: string): string {
  return `${targetId}:${securityGroupId}`;
}

export function membershipId(props: MembershipInputs): string {
  return membershipIdOf(targetOf(props).id, props.securityGroupId);
}

export function operationTimeoutMs(props: MembershipInputs): number {
  return (props.operationTimeoutSeconds ?? DEFAULT_OPERATION_TIMEOUT_SECONDS) * 1000;
}

/** A membership whose inputs (or state) passed check: what every operation works on. */
export interface ValidMembership {
  /** `<instance or ENI ID>:<security group ID>` */
  id: string;
  target: Target;
  securityGroupId: string;
  adoptExisting: boolean;
  timeoutMs: number;
  urn?: string;
}

/**
 * The membership that inputs or a state describe, refused with every failure named if they do not pass check (they
 * reach create, update and delete only after check, but a hand-edited state may not have). `timeoutMs`, the face's own
 * deadline (the plugin's customTimeouts), wins over operationTimeoutSeconds.
 */
export function validMembership(props: MembershipInputs, timeoutMs?: number): ValidMembership {
  const { failures } = checkInputs(props as unknown as Record<string, unknown>, { defaultRegion: undefined, endpointConfigured: true });
  if (failures.length > 0) {
    const named = failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
    throw new MembershipError(`Invalid SecurityGroupMembership: ${named}`, OWN_CODES.invalidInput);
  }
  const target = targetOf(props);
  return {
    id: membershipIdOf(target.id, props.securityGroupId),
    target,
    securityGroupId: props.securityGroupId,
    adoptExisting: props.adoptExisting === true,
    timeoutMs: timeoutMs ?? operationTimeoutMs(props),
    urn: props.__urn,
  };
}
