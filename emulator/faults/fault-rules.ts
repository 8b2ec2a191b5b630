import { z } from "zod";
import { boundedInteger, firstProblem, LIMITS, THROTTLING_ERRORS } from "../models";

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

/** Derived, so a rule can never name a code the catalogue has no error for. */
const THROTTLING_CODES = Object.keys(THROTTLING_ERRORS);

const ACTION = 'must be an Action name or "*"';
const PROBABILITY = "must be a number from 0 to 1";
const TARGET = "must be an instance or ENI ID";

const faultRuleSchema = z
  .strictObject(
    {
      /** An Action name, or "*" for every action. */
      action: z.string({ error: ACTION }).min(1, { error: ACTION }),
      kind: z.enum(FAULT_KINDS, { error: `must be one of ${FAULT_KINDS.join(", ")}` }),
      /** Throttling code (default "Throttling"). */
      code: z.string({ error: "must be a string" }).optional(),
      /** Chance that a matching request is hit (default 1). */
      probability: z.number({ error: PROBABILITY }).min(0, { error: PROBABILITY }).max(1, { error: PROBABILITY }).optional(),
      /** Hit only the next N matching requests (default unlimited); counts down as it fires. */
      times: boundedInteger(LIMITS.faultTimes).optional(),
      latencyMs: boundedInteger(LIMITS.faultDelayMs).optional(),
      /** "timeout-then-apply" only (required there): how long after the 504 the action is carried out. */
      applyAfterMs: boundedInteger(LIMITS.faultDelayMs).optional(),
      /** Only requests whose InstanceId or NetworkInterfaceId equals this. */
      target: z.string({ error: TARGET }).min(1, { error: TARGET }).optional(),
    },
    { error: "must be an object" },
  )
  .superRefine((rule, ctx) => {
    const problem = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    if (rule.code !== undefined && (rule.kind !== "throttling" || !THROTTLING_CODES.includes(rule.code))) {
      problem("code", `is only for kind "throttling" and must be one of ${THROTTLING_CODES.join(", ")}`);
    }
    if (rule.kind === "latency" && rule.latencyMs === undefined) problem("latencyMs", 'is required for kind "latency"');
    if (rule.applyAfterMs !== undefined && rule.kind !== "timeout-then-apply") problem("applyAfterMs", 'is only for kind "timeout-then-apply"');
    if (rule.kind === "timeout-then-apply" && rule.applyAfterMs === undefined) problem("applyAfterMs", 'is required for kind "timeout-then-apply"');
  });

export type FaultRule = z.output<typeof faultRuleSchema>;

const faultRulesSchema = z.array(faultRuleSchema, { error: "must be an array of fault rules" });
const rngSeedSchema = boundedInteger(LIMITS.rngSeed);

/** Validates fault rules from a seed file or the admin API; the message says which rule and field is wrong. */
export function parseFaultRules(json: unknown): FaultRule[] {
  return json === undefined ? [] : parseOrThrow(faultRulesSchema, json, "faults");
}

export function parseRngSeed(json: unknown): number | undefined {
  return json === undefined ? undefined : parseOrThrow(rngSeedSchema, json, "rngSeed");
}

/** Fault settings' messages read `faults[0].kind must be one of …`. */
function parseOrThrow<S extends z.ZodType>(schema: S, json: unknown, root: string): z.output<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const problem = firstProblem(result.error, root);
  throw new Error(
    problem.unknownKeys ? `${problem.path} has unknown field(s): ${problem.unknownKeys.keys.join(", ")}` : `${problem.path} ${problem.message}`,
  );
}
