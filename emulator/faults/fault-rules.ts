import { integerOutOfBounds, LIMITS, THROTTLING_ERRORS, type IntegerBounds } from "../models";

export const FAULT_KINDS = [
  "throttling",
  "timeout",
  "server-error",
  "unavailable",
  "latency",
  "drop",
  "bad-gateway",
  "timeout-after-apply",
  "drop-after-apply",
  "timeout-then-apply",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Derived, so a rule can never name a code the gateway has no message for. */
const THROTTLING_CODES = Object.keys(THROTTLING_ERRORS);

export interface FaultRule {
  /** An Action name, or "*" for every action. */
  action: string;
  kind: FaultKind;
  /** Throttling code (default "Throttling"). */
  code?: string;
  /** Chance that a matching request is hit (default 1). */
  probability?: number;
  /** Hit only the next N matching requests (default unlimited); counts down as it fires. */
  times?: number;
  latencyMs?: number;
  /** "timeout-then-apply" only (required there): how long after the 504 the action is carried out. */
  applyAfterMs?: number;
  /** Only requests whose InstanceId or NetworkInterfaceId equals this. */
  target?: string;
}

/** Validates fault rules from a seed file or the admin API; the message says which rule and field is wrong. */
export function parseFaultRules(json: unknown): FaultRule[] {
  if (json === undefined) return [];
  if (!Array.isArray(json)) throw new Error("faults must be an array of fault rules");
  return json.map((rule, index) => parseFaultRule(rule, `faults[${index}]`));
}

export function parseRngSeed(json: unknown): number | undefined {
  if (json === undefined) return undefined;
  return boundedInteger(json, "rngSeed", LIMITS.rngSeed);
}

const KNOWN_FIELDS = new Set(["action", "kind", "code", "probability", "times", "latencyMs", "applyAfterMs", "target"]);

function parseFaultRule(json: unknown, where: string): FaultRule {
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error(`${where} must be an object`);
  const raw = json as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`${where} has unknown field(s): ${unknown.join(", ")}`);
  if (typeof raw.action !== "string" || raw.action === "") throw new Error(`${where}.action must be an Action name or "*"`);
  if (!FAULT_KINDS.includes(raw.kind as FaultKind)) throw new Error(`${where}.kind must be one of ${FAULT_KINDS.join(", ")}`);
  const rule: FaultRule = { action: raw.action, kind: raw.kind as FaultKind };
  if (raw.code !== undefined) {
    if (rule.kind !== "throttling" || !THROTTLING_CODES.includes(raw.code as string)) {
      throw new Error(`${where}.code is only for kind "throttling" and must be one of ${THROTTLING_CODES.join(", ")}`);
    }
    rule.code = raw.code as string;
  }
  if (raw.probability !== undefined) {
    if (typeof raw.probability !== "number" || !(raw.probability >= 0 && raw.probability <= 1)) {
      throw new Error(`${where}.probability must be a number from 0 to 1`);
    }
    rule.probability = raw.probability;
  }
  if (raw.times !== undefined) rule.times = boundedInteger(raw.times, `${where}.times`, LIMITS.faultTimes);
  if (raw.latencyMs !== undefined) rule.latencyMs = boundedInteger(raw.latencyMs, `${where}.latencyMs`, LIMITS.faultDelayMs);
  if (rule.kind === "latency" && rule.latencyMs === undefined) throw new Error(`${where}.latencyMs is required for kind "latency"`);
  if (raw.applyAfterMs !== undefined) {
    if (rule.kind !== "timeout-then-apply") throw new Error(`${where}.applyAfterMs is only for kind "timeout-then-apply"`);
    rule.applyAfterMs = boundedInteger(raw.applyAfterMs, `${where}.applyAfterMs`, LIMITS.faultDelayMs);
  }
  if (rule.kind === "timeout-then-apply" && rule.applyAfterMs === undefined) {
    throw new Error(`${where}.applyAfterMs is required for kind "timeout-then-apply"`);
  }
  if (raw.target !== undefined) {
    if (typeof raw.target !== "string" || raw.target === "") throw new Error(`${where}.target must be an instance or ENI ID`);
    rule.target = raw.target;
  }
  return rule;
}

function boundedInteger(value: unknown, where: string, bounds: IntegerBounds): number {
  const why = integerOutOfBounds(value, bounds);
  if (why !== undefined) throw new Error(`${where} ${why}`);
  return value as number;
}
