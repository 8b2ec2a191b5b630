/**
 * Where progress messages (waits, retries, drift) go: each face supplies its own (the engine's log inside a Pulumi
 * plugin); code that drives the provider directly gets silence.
 */
export interface ProgressLog {
  info(message: string, urn?: string): void;
  warn(message: string, urn?: string): void;
}

export const SILENT: ProgressLog = { info: () => undefined, warn: () => undefined };
