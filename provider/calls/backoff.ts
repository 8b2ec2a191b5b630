/**
 * How long to wait before trying again: exponential backoff with full jitter (AWS's "Exponential Backoff and Jitter").
 */

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 200, maxDelayMs: 10_000, random: Math.random };

/** Uniformly random up to the exponential cap. */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(policy.random() * cap);
}

/** Status polls grow without jitter, to stay responsive: base·1.5^(n-1), capped. */
export function pollDelayMs(policy: BackoffPolicy, poll: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 1.5 ** (poll - 1));
}
