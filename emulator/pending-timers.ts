/** Timers the emulator starts on a request's behalf (injected latency, late applies); close() cancels those still
 *  pending, so none outlives the emulator or changes its world after it closed. */
export class PendingTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
