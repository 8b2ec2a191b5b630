import type { Clock } from "./contract";
import { ecsErrors } from "./ecsErrors";
import type { WorldSettings } from "./types";

/** The account of a key seeded without one: a world with no `account` fields is one account, as most are. */
export const DEFAULT_ACCOUNT = "default";

/** Who a call counts against: ECS counts per account (every key and RAM user of it together), region and action. */
export interface FlowKey {
  account: string;
  regionId: string;
  action: string;
}

/** Past windows' counters are dropped once this many are kept, so callers naming ever new regions cannot grow the map
 *  beyond one window's worth. */
const PRUNE_AT = 1_000;

/**
 * ECS's flow control: each account may make so many calls of an action in a region per calendar window (a minute on
 * ECS, `settings.flowControlWindowMs` here); the rest of the window's calls are refused with 400 Throttling.User, and
 * a refused call may pass from the next window on. Windows are aligned to the epoch, as calendar minutes are, so a
 * client pacing by the same clock sees the same boundaries. Refused calls do not count against the quota.
 *
 * The counters are kept in memory only: a restarted emulator starts every window afresh.
 */
export class FlowControl {
  private readonly counters = new Map<string, { window: number; passed: number }>();

  constructor(private readonly clock: Clock) {}

  /** Counts the call, or throws Throttling.User when its window is spent. */
  admit(settings: Pick<WorldSettings, "flowControl" | "flowControlWindowMs">, key: FlowKey): void {
    const limit = Object.hasOwn(settings.flowControl, key.action) ? settings.flowControl[key.action] : undefined;
    if (limit === undefined) return;
    const window = Math.floor(this.clock.now() / settings.flowControlWindowMs);
    const id = JSON.stringify([key.account, key.regionId, key.action]);
    const counter = this.counters.get(id);
    if (counter?.window !== window) {
      if (!counter && this.counters.size >= PRUNE_AT) this.prune(window);
      this.counters.set(id, { window, passed: 0 });
    }
    const current = this.counters.get(id)!;
    if (current.passed >= limit) throw ecsErrors.throttlingUser();
    current.passed += 1;
  }

  /** A changed window length starts afresh: counts of windows of another length mean nothing. (A changed quota keeps
   *  the window's count, as the calls already made still happened.) */
  reset(): void {
    this.counters.clear();
  }

  private prune(window: number): void {
    for (const [id, counter] of this.counters) if (counter.window !== window) this.counters.delete(id);
  }
}

/** A quota for an action the world does not have would never match: a typo must fail loudly, naming the field. */
export function checkFlowControlActions(flowControl: Record<string, number>, actions: ReadonlySet<string>, root: string): void {
  for (const action of Object.keys(flowControl)) {
    if (!actions.has(action)) throw new Error(`${root}.flowControl.${action}: is not an ECS action the emulator knows (${[...actions].join(", ")})`);
  }
}
