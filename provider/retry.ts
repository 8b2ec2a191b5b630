/**
 * When to try an ECS call again, and how long to wait: exponential backoff with full jitter, never past the
 * operation's deadline. Kept apart from what is retried (see membership-ops) like aws-sdk-js-v3's retry strategy.
 *
 * Code list constants in provider/ are arrays, not Sets: Pulumi's closure serializer copies captured values into the
 * serialized provider and does not rebuild Sets or Maps. For the same reason classes set their fields in constructors.
 */
import { EcsApiError, TRANSPORT_CODES } from "./errors";

export class Deadline {
  private constructor(
    readonly startedAt: number,
    readonly endsAt: number,
  ) {}

  static after(ms: number): Deadline {
    const now = Date.now();
    return new Deadline(now, now + ms);
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now());
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** The HTTP timeout of one call: what is left, within bounds (a last call may run past the deadline by the floor). */
  requestTimeoutMs(): number {
    return Math.min(MAX_REQUEST_TIMEOUT_MS, Math.max(MIN_REQUEST_TIMEOUT_MS, this.remainingMs()));
  }
}

const MIN_REQUEST_TIMEOUT_MS = 1_000;
const MAX_REQUEST_TIMEOUT_MS = 10_000;

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 200, maxDelayMs: 10_000, random: Math.random };

/** Full jitter (AWS's "Exponential Backoff and Jitter"): uniformly random up to the exponential cap. */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(policy.random() * cap);
}

/** Writes are Join/Leave: they may also meet a busy target or one between states, which pass. */
export type CallKind = "read" | "write";

const RETRYABLE_CODES: readonly string[] = [
  "RequestTimeout",
  "ServiceUnavailable",
  "InternalError",
  "UnknownError",
  TRANSPORT_CODES.network,
  TRANSPORT_CODES.timeout,
  TRANSPORT_CODES.badBody,
];
const RETRYABLE_WRITE_CODES: readonly string[] = [
  "InvalidOperation.Conflict",
  "OperationConflict",
  "LastTokenProcessing",
  "IncorrectInstanceStatus",
  "InvalidOperation.InvalidEniState",
];

export function isRetryable(err: unknown, kind: CallKind): boolean {
  if (!(err instanceof EcsApiError)) return false;
  if (err.serverSide || RETRYABLE_CODES.includes(err.code)) return true;
  if (err.code.startsWith("Throttling") || err.code === "Rejected.Throttling") return true;
  return kind === "write" && RETRYABLE_WRITE_CODES.includes(err.code);
}

/** Durations in messages: "12.3s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The last error of an operation that kept failing with retryable errors until its deadline. */
export class GaveUpError extends Error {
  constructor(
    readonly lastError: Error,
    readonly attempts: number,
    readonly elapsedMs: number,
  ) {
    super();
    this.message = `${lastError.message}; gave up after ${attempts} attempts over ${seconds(elapsedMs)}`; // see EcsApiError
    this.name = "GaveUpError";
  }
}

export interface RetryEvent {
  attempt: number;
  error: Error;
  delayMs: number;
  elapsedMs: number;
}

export interface RetryOptions {
  kind: CallKind;
  deadline: Deadline;
  policy: BackoffPolicy;
  onRetry?: (event: RetryEvent) => void;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `attempt` (numbered from 1) until it succeeds, fails with a non-retryable error, or the deadline leaves no room. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isRetryable(err, options.kind)) throw err;
      const wait = backoffDelayMs(options.policy, n);
      if (options.deadline.remainingMs() <= wait) throw new GaveUpError(err as Error, n, options.deadline.elapsedMs());
      options.onRetry?.({ attempt: n, error: err as Error, delayMs: wait, elapsedMs: options.deadline.elapsedMs() });
      await delay(wait);
    }
  }
}

export interface PollOptions<T> {
  deadline: Deadline;
  policy: BackoffPolicy;
  onWait?: (last: T, polls: number, elapsedMs: number) => void;
}

/** The probe's last answer when the deadline passed before the condition held. */
export class PollTimeoutError<T> extends Error {
  constructor(
    readonly last: T,
    readonly elapsedMs: number,
  ) {
    super();
    this.message = `condition not reached after ${seconds(elapsedMs)}`; // see EcsApiError
    this.name = "PollTimeoutError";
  }
}

/** Polls with growing (jitter-free, to stay responsive) intervals until `done` holds or the deadline passes. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, options: PollOptions<T>): Promise<T> {
  for (let polls = 1; ; polls++) {
    const value = await probe();
    if (done(value)) return value;
    const remaining = options.deadline.remainingMs();
    if (remaining <= 0) throw new PollTimeoutError(value, options.deadline.elapsedMs());
    options.onWait?.(value, polls, options.deadline.elapsedMs());
    await delay(Math.min(remaining, options.policy.maxDelayMs, options.policy.baseDelayMs * 1.5 ** (polls - 1)));
  }
}
