/** Per-action request counts, and per-action counts of the calls flow control refused (Throttling.User), already
 *  counted among the requests of the ECS API (admin requests are not counted). Only the actions the emulator knows get a
 *  count of their own: any other Action string, whatever its length, lands in one "other" bucket, so callers who are not
 *  even authenticated cannot grow this. */
export class RequestStats {
  private actions = new Map<string, number>();
  private refused = new Map<string, number>();
  private total = 0;

  constructor(private readonly knownActions: ReadonlySet<string>) {}

  count(action: string | undefined): void {
    this.total += 1;
    if (action === undefined) return;
    const bucket = this.knownActions.has(action) ? action : OTHER;
    this.actions.set(bucket, (this.actions.get(bucket) ?? 0) + 1);
  }

  /** Only ever called for an action the emulator knows: flow control runs after the action is found. */
  countRefusal(action: string): void {
    this.refused.set(action, (this.refused.get(action) ?? 0) + 1);
  }

  reset(): void {
    this.actions = new Map();
    this.refused = new Map();
    this.total = 0;
  }

  toJSON(): { actions: Record<string, number>; total: number; refused: Record<string, number> } {
    return { actions: Object.fromEntries(this.actions), total: this.total, refused: Object.fromEntries(this.refused) };
  }
}

/** Lower case, so it can never be an ECS action's name. */
const OTHER = "other";
