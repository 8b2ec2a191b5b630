import { z } from "zod";

/**
 * The bounds of every number a seed, a world patch, a fault rule or an emulator option may carry, in one table, so a
 * value that would break something later (a timer that Node turns into 1 ms, an end time beyond 2^53 that the next start
 * refuses) is refused where it comes in, naming the field. docs/emulator-world.md and docs/emulator.md list them.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const TEN_MINUTES_MS = 10 * 60 * 1000;
/** 9999-12-31T23:59:59.999Z: any end time a world computes from a bounded delay stays far below 2^53. */
const LATEST_EPOCH_MS = 253_402_300_799_999;

export interface IntegerBounds {
  readonly min: number;
  readonly max: number;
}

export const LIMITS = {
  /** settings.statusDelaysMs.*, settings.conflictWindowMs. */
  worldDelayMs: { min: 0, max: DAY_MS },
  /** settings.readAfterWriteLagMs: every change is remembered this long, so it is kept shorter. */
  readAfterWriteLagMs: { min: 0, max: TEN_MINUTES_MS },
  maxSecurityGroupsPerTarget: { min: 1, max: 100 },
  /** transitionEndsAt, busyUntil. */
  epochMs: { min: 0, max: LATEST_EPOCH_MS },
  idCounter: { min: 0, max: 1_000_000_000_000 },
  /** mulberry32 takes 32 bits. */
  rngSeed: { min: 0, max: 0xffff_ffff },
  /** Fault rules: latencyMs and applyAfterMs, well below setTimeout's 2^31 - 1 ms. */
  faultDelayMs: { min: 0, max: TEN_MINUTES_MS },
  faultTimes: { min: 0, max: 1_000_000_000 },
  /** settings.flowControl: calls per window (0 refuses every call of the action). */
  flowControlCalls: { min: 0, max: 1_000_000 },
  /** settings.flowControlWindowMs: from a tenth of a second to a day (ECS: one minute). */
  flowControlWindowMs: { min: 100, max: DAY_MS },
  /** Signed requests one access key may make within the nonce window (EmulatorOptions.maxSignedRequestsPerKey). */
  signedRequestsPerKey: { min: 1, max: 2_000_000 },
} as const satisfies Record<string, IntegerBounds>;

/** Why `value` is not an integer within `bounds`, or undefined when it is. */
export function integerOutOfBounds(value: unknown, bounds: IntegerBounds): string | undefined {
  if (Number.isSafeInteger(value) && (value as number) >= bounds.min && (value as number) <= bounds.max) return undefined;
  const kind = bounds.min === 0 ? "a non-negative integer" : bounds.min === 1 ? "a positive integer" : `an integer from ${bounds.min}`;
  return `must be ${kind} up to ${bounds.max}, got ${value === undefined ? "undefined" : JSON.stringify(value)}`;
}

/** The schema of a number within `bounds`, for every schema that takes one. */
export function boundedInteger(bounds: IntegerBounds): z.ZodType<number> {
  return z.custom<number>((value) => integerOutOfBounds(value, bounds) === undefined, {
    error: (issue) => (issue.input === undefined ? "is required" : integerOutOfBounds(issue.input, bounds)),
  });
}
