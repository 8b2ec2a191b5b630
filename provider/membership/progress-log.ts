/**
 * Where progress messages (waits, retries, drift) go: each face supplies its own (the engine's log inside a Pulumi
 * plugin); code that drives the provider directly gets silence.
 */
export interface ProgressLog {
  info(message: string, urn?: string): void;
  warn(message: string, urn?: string): void;
  /** Settles when the messages sent so far have reached where they go (or could not). */
  delivered(): Promise<void>;
}

export const SILENT: ProgressLog = { info: () => undefined, warn: () => undefined, delivered: async () => undefined };

/** The messages of a log still on their way, so the end of a run can wait for its last lines. */
export class MessagesInFlight {
  private readonly pending = new Set<Promise<void>>();

  /** `send` calls back once the message is delivered or lost. */
  track(send: (done: () => void) => void): void {
    const sent = new Promise<void>((resolve) => send(resolve));
    this.pending.add(sent);
    void sent.then(() => this.pending.delete(sent));
  }

  async delivered(): Promise<void> {
    await Promise.all(this.pending);
  }
}
