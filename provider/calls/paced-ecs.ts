/**
 * Every ECS call of a process goes through here, paced by the account's quota for its action and region
 * (account-quota.ts): one limiter per endpoint and credentials (an account), region and action, shared by every
 * resource the process serves.
 */
import { isQuotaSpent } from "../ecs/codes";
import type { EcsClient, EcsParams, EcsResponse } from "../ecs/client";
import { AccountQuota, SYSTEM_CLOCK, type QuotaClock, type QuotaStats, type StatedQuota } from "./account-quota";
import type { TimeBudget } from "./deadline";

export interface Pacing {
  /** The operation's deadline: a wait for the quota counts against it. */
  budget: TimeBudget;
  /** Told when a call has to wait for the next minute of the action's quota. */
  onWait(action: string, nextMinuteInMs: number): void;
}

export class PacedEcs {
  private readonly quotas = new Map<string, AccountQuota>();

  constructor(
    private readonly client: EcsClient,
    /** The quota the user stated for an action, if any. */
    private readonly stated: (action: string) => StatedQuota | undefined,
    private readonly clock: QuotaClock = SYSTEM_CLOCK,
  ) {}

  call(action: string, params: EcsParams, pacing: Pacing): Promise<EcsResponse> {
    const quota = this.quotaFor(action, String(params.RegionId ?? ""));
    return quota.run(
      pacing.budget,
      (ms) => pacing.onWait(action, ms),
      () => this.client.call(action, params, pacing.budget.requestTimeoutMs()),
      isQuotaSpent,
    );
  }

  /** What each action's limiter saw, for the summary at the end of a run. */
  stats(): { action: string; regionId: string; stats: QuotaStats }[] {
    return [...this.quotas.entries()].map(([key, quota]) => {
      const [regionId, action] = key.split("|") as [string, string];
      return { action, regionId, stats: quota.stats };
    });
  }

  private quotaFor(action: string, regionId: string): AccountQuota {
    const key = `${regionId}|${action}`;
    let quota = this.quotas.get(key);
    if (!quota) {
      quota = new AccountQuota(action, this.stated(action), this.clock);
      this.quotas.set(key, quota);
    }
    return quota;
  }
}
