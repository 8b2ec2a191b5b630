/**
 * The plugin's operations in flight, and cancellation: after Cancel (or a signal, or the engine's exit) no new work
 * starts, and work already started runs on to its own end, so a Join or Leave is never abandoned halfway through its
 * wait for ECS to show it (each is bounded by its deadline).
 */
import * as grpc from "@grpc/grpc-js";
import { RequestError } from "./errors";

export class Work {
  private inFlight = 0;
  private stopped: string | undefined;
  private idle: (() => void)[] = [];

  get running(): number {
    return this.inFlight;
  }

  async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    if (this.stopped) throw new RequestError(`${what} not started: ${this.stopped}`, grpc.status.UNAVAILABLE);
    this.inFlight++;
    try {
      return await operation();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** No new work from now on; `reason` says why to whoever asks. */
  stop(reason: string): void {
    this.stopped ??= reason;
  }

  /** Resolves once nothing is in flight. */
  drained(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
