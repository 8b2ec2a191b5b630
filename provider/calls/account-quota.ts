/**
 * The account's API quota for one action in one region, as this process sees it. ECS counts an account's calls per
 * action and region in calendar minutes, shared by every caller of the account (the console, other stacks, CI jobs);
 * a call refused in minute T may be sent again from minute T+1. So the pace is a property of the minute, not of a call:
 * a refusal spends the rest of the minute for every caller waiting here, and they go again, in the order they came,
 * spread over the next minute's first seconds. Kept apart from retries, like aws-sdk-js-v3's client-side rate limiter.
 */
import { seconds, type TimeBudget } from "./deadline";

export const MINUTE_MS = 60_000;
/** Waiters released at a new minute start over its first seconds, so no minute opens with a stampede. */
export const SPREAD_MS = 3_000;
/** A call sent this close to a minute's end may be counted by ECS in the next minute. */
export const EDGE_MS = 1_000;
/**
 * Past its learned pace, a process probes for more only from this far into a minute: by then every process sharing the
 * account has sent its own pace, so a probe is refused only when the account is full, and never takes the room of
 * another process's calls of the minute (whose calls in flight would then all be refused).
 */
export const PROBE_FROM_MS = 15_000;

/**
 * The quota's window in ms, when an emulator's flow control counts in windows shorter than ECS's calendar minute
 * (tests and benchmarks that cannot wait minutes). Never set against ECS: the provider would pace by a window ECS
 * does not count in.
 */
export const QUOTA_WINDOW_ENV = "SG_MEMBERSHIP_QUOTA_WINDOW_MS";

export interface QuotaClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
  /** The quota's window, a calendar minute (the default) unless QUOTA_WINDOW_ENV says otherwise. */
  readonly minuteMs?: number;
}

let windowFromEnv: number | undefined;

export const SYSTEM_CLOCK: QuotaClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  // Read at the first call, so a bad value fails that operation with its message rather than the provider's loading.
  get minuteMs() {
    return (windowFromEnv ??= quotaWindowMs(process.env));
  },
};

/** QUOTA_WINDOW_ENV's window, or a minute. A bad value fails loudly: pacing by a window other than the account's would
 *  be refused calls, minute after minute. */
export function quotaWindowMs(env: NodeJS.ProcessEnv): number {
  const text = env[QUOTA_WINDOW_ENV];
  if (text === undefined || text === "") return MINUTE_MS;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 100 || ms > MINUTE_MS) {
    throw new Error(`${QUOTA_WINDOW_ENV} must be a whole number of ms from 100 to ${MINUTE_MS}, got ${JSON.stringify(text)}`);
  }
  return ms;
}

export interface StatedQuota {
  /** Calls a minute the account may make of this action in this region. */
  perMinute: number;
  /** The share of it left for the account's other callers, from 0 to 1. */
  reserve: number;
}

/** The one line a resource shows while it waits for the quota. */
export function quotaWaitMessage(action: string, nextMinuteInMs: number): string {
  return `waiting for the account's ${action} quota, next window in ${Math.ceil(nextMinuteInMs / 1000)} s`;
}

/** A wait for the quota that would end past the operation's deadline. */
export class QuotaDeadlineError extends Error {
  constructor(
    readonly action: string,
    readonly waitMs: number,
  ) {
    super(`the account's ${action} quota for this minute is spent, and the next minute starts in ${seconds(waitMs)}, past the deadline`);
    this.name = "QuotaDeadlineError";
  }
}

interface Waiter {
  budget: TimeBudget;
  onWait: (nextMinuteInMs: number) => void;
  release: (probe: boolean) => void;
  fail: (err: Error) => void;
}

/** What the limiter saw, for the summary at the end of a run. */
export interface QuotaStats {
  /** Calls sent, refused ones included. */
  sent: number;
  refused: number;
  /** Operations told to wait for the next minute. */
  waits: number;
  /** How long the limiter held its calls for the next minutes, in all (time passed, not summed over the operations). */
  waitedMs: number;
}

export class AccountQuota {
  private minute = -1;
  private sentThisMinute = 0;
  /** Calls sent in the last moments of a minute may reach ECS in the next one and count there: they count in both. */
  private sentIntoNextMinute = 0;
  private refusedThisMinute = 0;
  /** Minutes up to and including this one are spent: a refusal said so. */
  private spentThrough = -1;
  /** Calls this process sends a minute: the stated share, or what the last refused minute let through (undefined: not yet known). */
  private limit: number | undefined;
  /** Past the learned limit, one call at a time finds out whether the account allows more (AWS's slow start, by one). */
  private probing = false;
  /** Calls sent and not yet answered, and calls that passed: before the pace is known, they set how many may be in flight. */
  private inFlight = 0;
  private passed = 0;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  /** After a wait, the calls of the new minute go out one by one until then. */
  private spreadEndsAt = 0;
  private readonly minuteMs: number;
  /** The spread keeps its share of the window when the window is shortened. */
  private readonly spreadMs: number;
  /** The last moments of a minute, as long as a call may take to reach ECS: 1 s of a minute, the same share of a shorter window. */
  private readonly edgeMs: number;
  private readonly probeFromMs: number;
  readonly stats: QuotaStats = { sent: 0, refused: 0, waits: 0, waitedMs: 0 };

  constructor(
    readonly action: string,
    private readonly stated: StatedQuota | undefined,
    private readonly clock: QuotaClock = SYSTEM_CLOCK,
  ) {
    if (stated) this.limit = Math.max(1, Math.floor(stated.perMinute * (1 - stated.reserve)));
    this.minuteMs = clock.minuteMs ?? MINUTE_MS;
    this.spreadMs = Math.round((SPREAD_MS * this.minuteMs) / MINUTE_MS);
    this.edgeMs = Math.round((EDGE_MS * this.minuteMs) / MINUTE_MS);
    this.probeFromMs = Math.round((PROBE_FROM_MS * this.minuteMs) / MINUTE_MS);
  }

  /** Runs `call` when the quota lets it go, in arrival order; reports a refusal for flow control to the limiter. */
  async run<T>(
    budget: TimeBudget,
    onWait: (nextMinuteInMs: number) => void,
    call: () => Promise<T>,
    isRefusal: (err: unknown) => boolean,
  ): Promise<T> {
    const probe = await this.acquire(budget, onWait);
    try {
      const result = await call();
      this.settled(probe, false);
      return result;
    } catch (err) {
      this.settled(probe, isRefusal(err));
      throw err;
    }
  }

  /** Resolves when the call may go: true if it goes past the learned pace, to find out whether the account allows more. */
  private acquire(budget: TimeBudget, onWait: (nextMinuteInMs: number) => void): Promise<boolean> {
    return new Promise((release, fail) => {
      this.queue.push({ budget, onWait, release, fail });
      void this.pump();
    });
  }

  /** Serves the queue's head while the minute has room; sleeps to the next minute (spread) when it has none. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        this.turnMinute();
        if (this.hasRoom()) {
          this.send(this.queue.shift()!);
          await this.spaceOut();
          continue;
        }
        if (this.awaitingAnswer()) return; // the answer resumes the pump
        const untilProbe = this.untilProbeMs();
        if (untilProbe > 0) await this.clock.sleep(untilProbe);
        else await this.waitForNextMinute();
      }
    } finally {
      this.pumping = false;
    }
  }

  private send(waiter: Waiter): void {
    this.sentThisMinute++;
    if (this.clock.now() >= (this.minute + 1) * this.minuteMs - this.edgeMs) this.sentIntoNextMinute++;
    this.stats.sent++;
    this.inFlight++;
    const probe = this.limit !== undefined && this.sentThisMinute > this.limit;
    if (probe) this.probing = true;
    waiter.release(probe);
  }

  /** Only the probe's own answer ends the probe: other calls of the minute may still be answered meanwhile. */
  private settled(probe: boolean, refused: boolean): void {
    this.inFlight--;
    if (probe) this.probing = false;
    if (refused) {
      this.stats.refused++;
      this.refusedThisMinute++;
      this.spentThrough = this.minute;
      // Learned only from what passed: the stated share is never raised by a refusal, only a guess is lowered.
      if (!this.stated) this.limit = Math.max(1, this.sentThisMinute - this.refusedThisMinute);
    } else {
      this.passed++;
      if (probe && !this.stated) this.limit = (this.limit ?? 0) + 1;
    }
    void this.pump();
  }

  /** Within the spread after a wait, the remaining waiters share what is left of it. */
  private async spaceOut(): Promise<void> {
    const left = this.spreadEndsAt - this.clock.now();
    if (left <= 0 || this.queue.length === 0) return;
    await this.clock.sleep(Math.ceil(left / (this.queue.length + 1)));
  }

  private hasRoom(): boolean {
    if (this.isSpent()) return false;
    // Not known yet: one call first, then one more in flight for each that passed (TCP's slow start), so a process that
    // starts in a minute other processes have spent is refused once, not once for each operation it has in flight.
    if (this.limit === undefined) return this.inFlight <= this.passed;
    if (this.sentThisMinute < this.limit) return true;
    return this.mayProbe() && this.untilProbeMs() <= 0;
  }

  /** A call in flight decides what may go next: the probe, or the calls of the slow start. */
  private awaitingAnswer(): boolean {
    return !this.isSpent() && (this.probing || this.limit === undefined);
  }

  private mayProbe(): boolean {
    return !this.stated && this.limit !== undefined && !this.probing && !this.isSpent();
  }

  /** How long until this minute's probe may go; 0 when it may go now or there is none to wait for this minute. */
  private untilProbeMs(): number {
    if (!this.mayProbe()) return 0;
    return Math.max(0, this.minute * this.minuteMs + this.probeFromMs - this.clock.now());
  }

  private isSpent(): boolean {
    return this.spentThrough >= this.minute;
  }

  private turnMinute(): void {
    const minute = Math.floor(this.clock.now() / this.minuteMs);
    if (minute === this.minute) return;
    this.sentThisMinute = minute === this.minute + 1 ? this.sentIntoNextMinute : 0;
    this.sentIntoNextMinute = 0;
    this.minute = minute;
    this.refusedThisMinute = 0;
    this.probing = false;
  }

  /** Every waiter is told once; one whose deadline ends first fails now instead of waiting in vain. */
  private async waitForNextMinute(): Promise<void> {
    const nextMinuteAt = (this.minute + 1) * this.minuteMs;
    const waitMs = nextMinuteAt - this.clock.now() + Math.floor(this.clock.random() * this.spreadMs);
    for (const waiter of [...this.queue]) {
      if (waiter.budget.remainingMs() < waitMs) {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        waiter.fail(new QuotaDeadlineError(this.action, waitMs));
      } else {
        this.stats.waits++;
        waiter.onWait(waitMs);
      }
    }
    if (this.queue.length === 0) return;
    await this.clock.sleep(waitMs);
    this.stats.waitedMs += waitMs;
    this.spreadEndsAt = nextMinuteAt + this.spreadMs;
  }
}
