/** Per-action request counts of the ECS API (admin requests are not counted). Only the actions the emulator knows get a
 *  count of their own: any other Action string, whatever its length, lands in one "other" bucket, so callers who are not
 *  even authenticated cannot grow this. */
export class RequestStats {
  private actions = new Map<string, number>();
  private total = 0;

  constructor(private readonly knownActions: ReadonlySet<string>) {}

  count(action: string | undefined): void {
    this.total += 1;
    if (action === undefined) return;
    const bucket = this.knownActions.has(action) ? action : OTHER;
    this.actions.set(bucket, (this.actions.get(bucket) ?? 0) + 1);
  }

  reset(): void {
    this.actions = new Map();
    this.total = 0;
  }

  toJSON(): { actions: Record<string, number>; total: number } {
    return { actions: Object.fromEntries(this.actions), total: this.total };
  }
}

/** Lower case, so it can never be an ECS action's name. */
const OTHER = "other";
