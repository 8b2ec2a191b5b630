/**
 * The resource's property bag as the dynamic provider sees it, and the validation `check` runs before anything
 * reaches ECS. ID rules follow ECS: a kind prefix, then lower-case letters and digits.
 */
import { unknownValue } from "@pulumi/pulumi/runtime";

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

export type TargetKind = "instance" | "networkInterface";

export interface Target {
  kind: TargetKind;
  id: string;
  regionId: string;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export const DEFAULT_OPERATION_TIMEOUT_SECONDS = 600;
const MAX_OPERATION_TIMEOUT_SECONDS = 24 * 3600;

const ID_RULES = {
  instanceId: { prefix: "i-", what: "an ECS instance ID", example: "i-bp67acfmxazb4p1234" },
  networkInterfaceId: { prefix: "eni-", what: "an elastic network interface ID", example: "eni-bp125p95hhdhn3ot1234" },
  securityGroupId: { prefix: "sg-", what: "a security group ID", example: "sg-bp67acfmxazb4p1234" },
} as const;
const ID_BODY = /^[a-z0-9]+$/;

/** How the engine spells a value not known yet (during preview), e.g. the ID of an instance still to be created. */
export const UNKNOWN_VALUE: string = unknownValue;
const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;

function idFailure(property: keyof typeof ID_RULES, value: unknown): CheckFailure | undefined {
  const rule = ID_RULES[property];
  if (value === UNKNOWN_VALUE) return undefined;
  if (typeof value !== "string") return { property, reason: `must be a string: ${rule.what} such as ${rule.example}` };
  if (!value.startsWith(rule.prefix) || !ID_BODY.test(value.slice(rule.prefix.length))) {
    return {
      property,
      reason: `"${value}" is not ${rule.what}: expected "${rule.prefix}" followed by lower-case letters and digits, such as ${rule.example}`,
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
    return [{ property: "instanceId", reason }, { property: "networkInterfaceId", reason }];
  }
  if (!hasInstance && !hasEni) {
    return [{ property: "instanceId", reason: "give exactly one of instanceId and networkInterfaceId: neither was set" }];
  }
  const failure = hasInstance ? idFailure("instanceId", news.instanceId) : idFailure("networkInterfaceId", news.networkInterfaceId);
  return failure ? [failure] : [];
}

function regionFailure(region: unknown): CheckFailure | undefined {
  if (region === undefined) {
    return {
      property: "regionId",
      reason:
        "no region: set the regionId input, the stack config alicloud:region, or ALIBABA_CLOUD_REGION_ID / ALICLOUD_REGION in the environment",
    };
  }
  if (region === UNKNOWN_VALUE) return undefined;
  if (typeof region !== "string" || !REGION_ID.test(region)) {
    return { property: "regionId", reason: `"${String(region)}" is not a region ID such as cn-hangzhou or ap-southeast-1` };
  }
  return undefined;
}

function optionFailures(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (news.adoptExisting !== undefined && typeof news.adoptExisting !== "boolean") {
    failures.push({ property: "adoptExisting", reason: "must be true or false" });
  }
  const timeout = news.operationTimeoutSeconds;
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0) || timeout > MAX_OPERATION_TIMEOUT_SECONDS)) {
    failures.push({ property: "operationTimeoutSeconds", reason: `must be a number of seconds above 0 and at most ${MAX_OPERATION_TIMEOUT_SECONDS}` });
  }
  return failures;
}

/** Validates new inputs and fills in the region from configuration, so state always records where the membership lives. */
export function checkInputs(
  news: Record<string, unknown>,
  defaultRegion: string | undefined,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const regionId = present(news.regionId) ? news.regionId : defaultRegion;
  const failures = [...targetFailures(news), ...optionFailures(news)];
  const sgFailure = idFailure("securityGroupId", news.securityGroupId);
  if (sgFailure) failures.push(sgFailure);
  const region = regionFailure(regionId);
  if (region) failures.push(region);
  const inputs: Record<string, unknown> = { ...news, regionId };
  for (const key of ["instanceId", "networkInterfaceId"]) if (!present(inputs[key])) delete inputs[key];
  return { inputs, failures };
}

/** The membership's target, from inputs or state that passed check. */
export function targetOf(props: MembershipInputs): Target {
  return props.instanceId
    ? { kind: "instance", id: props.instanceId, regionId: props.regionId }
    : { kind: "networkInterface", id: props.networkInterfaceId as string, regionId: props.regionId };
}

export function membershipId(props: MembershipInputs): string {
  return `${targetOf(props).id}:${props.securityGroupId}`;
}

export function describeTarget(target: Target): string {
  return target.kind === "instance" ? `instance ${target.id}` : `network interface ${target.id}`;
}

export function operationTimeoutMs(props: MembershipInputs): number {
  return (props.operationTimeoutSeconds ?? DEFAULT_OPERATION_TIMEOUT_SECONDS) * 1000;
}
