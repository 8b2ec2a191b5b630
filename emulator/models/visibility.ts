/**
 * Read-after-write lag: ECS's Describe* calls are served from a view that catches up with the control plane a little
 * later, so a client that just joined or left a group must wait until the change shows. This remembers each target's
 * earlier group lists for as long as the lag, so a read can answer with the list as it was `lagMs` ago.
 */
export class GroupListHistory {
  /** Per target (instance ID for the primary list, ENI ID for a secondary one): the lists it had, each with the time it
   *  stopped being current, oldest first. */
  private readonly past = new Map<string, { until: number; securityGroupIds: readonly string[] }[]>();

  /** Notes every target whose list differs between `before` and `after` (lists by target ID), changed at `now`. */
  record(before: ReadonlyMap<string, readonly string[]>, after: ReadonlyMap<string, readonly string[]>, now: number, lagMs: number): void {
    this.forget(now - lagMs);
    if (lagMs === 0) return;
    for (const [id, previous] of before) {
      const current = after.get(id);
      if (current === undefined || sameList(previous, current)) continue;
      const entries = this.past.get(id) ?? [];
      entries.push({ until: now, securityGroupIds: [...previous] });
      this.past.set(id, entries);
    }
  }

  /** The list a read shows at `now`: the one that was current at now - lagMs. */
  shown(id: string, current: readonly string[], now: number, lagMs: number): readonly string[] {
    if (lagMs === 0) return current;
    const asOf = now - lagMs;
    return this.past.get(id)?.find((entry) => entry.until > asOf)?.securityGroupIds ?? current;
  }

  copy(): GroupListHistory {
    const copy = new GroupListHistory();
    for (const [id, entries] of this.past) copy.past.set(id, [...entries]);
    return copy;
  }

  /** Lists that stopped being current before `asOf` can no longer be shown. */
  private forget(asOf: number): void {
    for (const [id, entries] of this.past) {
      const kept = entries.filter((entry) => entry.until > asOf);
      if (kept.length === 0) this.past.delete(id);
      else this.past.set(id, kept);
    }
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
