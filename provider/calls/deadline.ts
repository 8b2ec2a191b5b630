/**
 * An operation's deadline (operationTimeoutSeconds), and the time budget of one HTTP request within it.
 */

/** What a retry loop or a request needs to know about the time it has left. */
export interface TimeBudget {
  remainingMs(): number;
  elapsedMs(): number;
  /** The HTTP timeout of one call: what is left, within bounds. */
  requestTimeoutMs(): number;
}

/** One request waits at least this long, so the last call of an operation may end up to this much past its deadline. */
export const MIN_REQUEST_TIMEOUT_MS = 1_000;
const MAX_REQUEST_TIMEOUT_MS = 10_000;

export function requestTimeoutFor(remainingMs: number): number {
  return Math.min(MAX_REQUEST_TIMEOUT_MS, Math.max(MIN_REQUEST_TIMEOUT_MS, remainingMs));
}

export class Deadline implements TimeBudget {
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

  requestTimeoutMs(): number {
    return requestTimeoutFor(this.remainingMs());
  }
}

/** Durations in messages: "12.3s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
