/**
 * Target states read recently, for the operations that only look (read and diff): the engine reads every resource and
 * then diffs it, and a target carries several memberships, so without this each of them would describe it again.
 * Writes never use it; the Join and Leave this process sends drop the target's entry.
 */
import type { TargetState } from "../ecs/target";

/**
 * How old a state read and diff may use. Long enough to cover a refresh's Read-then-Diff of one resource and the
 * memberships of one target arriving one after another; short enough that a change made outside this process (the
 * console, another stack) shows on the next run.
 */
export const RECENT_STATE_MAX_AGE_MS = 2000;

/** A state read (undefined: the target did not exist), or a write that makes earlier reads of the target stale. */
type Entry = { kind: "read"; state: TargetState | undefined; askedAt: number } | { kind: "written"; at: number };

export class RecentStates {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The state of `key` if it was asked for within `maxAgeMs` (at most RECENT_STATE_MAX_AGE_MS: older ones are dropped). */
  recent(key: string, maxAgeMs: number): { state: TargetState | undefined } | undefined {
    this.prune();
    const entry = this.entries.get(key);
    if (entry?.kind !== "read" || this.now() - entry.askedAt >= Math.min(maxAgeMs, RECENT_STATE_MAX_AGE_MS)) return undefined;
    return { state: entry.state };
  }

  /**
   * Records what a Describe call asked for at `askedAt` returned. Its age counts from the asking, and an answer to a
   * call asked before (or in the same millisecond as) a write of ours may predate the write, so it is not kept.
   */
  remember(key: string, state: TargetState | undefined, askedAt: number): void {
    const entry = this.entries.get(key);
    if (entry?.kind === "written" && entry.at >= askedAt) return;
    if (entry?.kind === "read" && entry.askedAt > askedAt) return;
    this.put(key, { kind: "read", state, askedAt });
  }

  /** Whether one of our writes on `key` was marked at or after `time` (and not yet followed by a newer read). */
  writtenSince(key: string, time: number): boolean {
    const entry = this.entries.get(key);
    return entry?.kind === "written" && entry.at >= time;
  }

  /** Called before and after every Join or Leave of ours on the target. */
  markWritten(key: string): void {
    this.put(key, { kind: "written", at: this.now() });
  }

  /** Re-inserted, so the map stays (nearly) in time order and pruning stops at the first young entry. */
  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  /**
   * An entry older than the longest window can serve no one, and a read asked before a dropped write mark is older
   * still. Stops at the first young entry: one remembered late with an early askedAt goes when those before it do.
   */
  private prune(): void {
    const oldest = this.now() - RECENT_STATE_MAX_AGE_MS;
    for (const [key, entry] of this.entries) {
      if ((entry.kind === "read" ? entry.askedAt : entry.at) >= oldest) return;
      this.entries.delete(key);
    }
  }
}
