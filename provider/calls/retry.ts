/**
 * Trying an ECS call again: which failures are tried again comes from the code table (ecs-codes), how long to wait from
 * the backoff policy, and when to stop from the deadline. Kept apart from what is retried, like aws-sdk-js-v3's
 * retry strategy.
 */
import { backoffDelayMs, pollDelayMs, type BackoffPolicy } from "./backoff";
import { QuotaDeadlineError } from "./account-quota";
import { delay, seconds, type TimeBudget } from "./deadline";
import { isQuotaSpent, retryRule } from "../ecs/codes";
import { EcsApiError } from "../ecs/errors";

/** Writes are Join/Leave: they may also meet a busy target or one between states, which pass. */
export type CallKind = "read" | "write";

/** Failures that waiting cannot fix get this many attempts, within this long, whatever the deadline says. */
export const BRIEF_RETRY = { attempts: 3, withinMs: 8_000 } as const;

/** The last error of a call that kept failing with errors worth retrying, until its deadline or its brief budget. */
export class GaveUpError extends Error {
  constructor(
    readonly lastError: EcsApiError,
    readonly attempts: number,
    readonly elapsedMs: number,
  ) {
    super(`${lastError.message}; gave up after ${attempts} attempts over ${seconds(elapsedMs)}`);
    this.name = "GaveUpError";
  }
}

export interface RetryEvent {
  attempt: number;
  error: EcsApiError;
  delayMs: number;
  elapsedMs: number;
}

/** A retry as the user reads it: what was asked (`subject`), ECS's answer once, and when the next attempt goes. */
export function retryMessage(subject: string, event: RetryEvent): string {
  return `${subject}: ${event.error.answer}; retry ${event.attempt} in ${event.delayMs}ms (${seconds(event.elapsedMs)} elapsed)`;
}

export interface RetryOptions {
  kind: CallKind;
  budget: TimeBudget;
  policy: BackoffPolicy;
  onRetry: (event: RetryEvent) => void;
  /** Called with each failed attempt's error before deciding, e.g. to remember that a write's outcome is unknown. */
  onFailure?: (error: EcsApiError) => void;
  /** The call waits for the account's quota itself (paced-ecs.ts): a throttled attempt goes again without backoff or a line of its own. */
  paced?: boolean;
}

/** Runs `attempt` (numbered from 1) until it succeeds, fails with a final error, or its budget leaves no room. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  let briefFailures = 0;
  let briefSince = 0;
  let throttledBy: EcsApiError | undefined;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (err instanceof QuotaDeadlineError && throttledBy) throw new GaveUpError(throttledBy, n - 1, options.budget.elapsedMs());
      if (!(err instanceof EcsApiError)) throw err;
      options.onFailure?.(err);
      if (options.paced && isQuotaSpent(err)) {
        throttledBy = err;
        continue;
      }
      const rule = retryRule(err.code, err.httpStatus, options.kind);
      if (rule === "never") throw err;
      const elapsed = options.budget.elapsedMs();
      if (rule === "briefly") {
        if (briefFailures++ === 0) briefSince = Date.now();
        if (briefFailures >= BRIEF_RETRY.attempts || Date.now() - briefSince >= BRIEF_RETRY.withinMs) throw new GaveUpError(err, n, elapsed);
      }
      const wait = backoffDelayMs(options.policy, n);
      if (options.budget.remainingMs() <= wait) throw new GaveUpError(err, n, elapsed);
      options.onRetry({ attempt: n, error: err, delayMs: wait, elapsedMs: elapsed });
      await delay(wait);
    }
  }
}

export interface PollOptions<T> {
  budget: TimeBudget;
  policy: BackoffPolicy;
  onWait: (last: T, polls: number, elapsedMs: number) => void;
}

/** The probe's last answer when the deadline passed before the condition held. */
export class PollTimeoutError<T> extends Error {
  constructor(
    readonly last: T,
    readonly elapsedMs: number,
  ) {
    super(`condition not reached after ${seconds(elapsedMs)}`);
    this.name = "PollTimeoutError";
  }
}

/** Probes with growing intervals until `done` holds or the deadline passes. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, options: PollOptions<T>): Promise<T> {
  for (let polls = 1; ; polls++) {
    const value = await probe();
    if (done(value)) return value;
    const remaining = options.budget.remainingMs();
    if (remaining <= 0) throw new PollTimeoutError(value, options.budget.elapsedMs());
    options.onWait(value, polls, options.budget.elapsedMs());
    await delay(Math.min(remaining, pollDelayMs(options.policy, polls)));
  }
}
