/** Per-action request counts of the ECS API (admin requests are not counted). */
export class RequestStats {
  private actions = new Map<string, number>();
  private total = 0;

  count(action: string | undefined): void {
    this.total += 1;
    if (action !== undefined) this.actions.set(action, (this.actions.get(action) ?? 0) + 1);
  }

  reset(): void {
    this.actions = new Map();
    this.total = 0;
  }

  toJSON(): { actions: Record<string, number>; total: number } {
    return { actions: Object.fromEntries(this.actions), total: this.total };
  }
}
