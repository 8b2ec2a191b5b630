/**
 * The account of throttling at the end of a run: one line per action (and region) the account's quota held back, so a
 * run slowed by the quota says by how much once, after the per-resource waiting lines. Each face prints it when the
 * engine closes its process.
 */
import type { QuotaStats } from "../calls/account-quota";

export interface ActionQuotaStats {
  action: string;
  regionId: string;
  stats: QuotaStats;
}

function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  return total >= 60 ? `${Math.floor(total / 60)} min ${total % 60} s` : `${total} s`;
}

/** The line of one action throttled: refusals met, time waited for the next minutes, calls made. */
export function throttlingLine({ action, regionId, stats }: ActionQuotaStats): string {
  return (
    `throttled by the account's ${action} quota in ${regionId}: ${stats.refused} calls refused, ` +
    `${duration(stats.waitedMs)} waiting for the next window, ${stats.sent} calls made`
  );
}

/** The lines of the actions that met the quota (a refusal or a wait), the same action and region of several accounts added up. */
export function throttlingSummary(entries: readonly ActionQuotaStats[]): string[] {
  const merged = new Map<string, ActionQuotaStats>();
  for (const { action, regionId, stats } of entries) {
    const key = `${regionId}|${action}`;
    const sum = merged.get(key)?.stats ?? { sent: 0, refused: 0, waits: 0, waitedMs: 0 };
    merged.set(key, {
      action,
      regionId,
      stats: {
        sent: sum.sent + stats.sent,
        refused: sum.refused + stats.refused,
        waits: sum.waits + stats.waits,
        waitedMs: sum.waitedMs + stats.waitedMs,
      },
    });
  }
  return [...merged.values()].filter(({ stats }) => stats.refused > 0 || stats.waits > 0).map(throttlingLine);
}
