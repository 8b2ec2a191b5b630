/** A client for the emulator's admin API (`/_emulator/`), for tests and tools that drive an emulator from outside. */
import type { FaultRule } from "./faults/fault-rules";
import type { Seed } from "./models";

/** `GET /_emulator/stats`: ECS API requests per Action, failed and faulted ones included. */
export interface EmulatorStats {
  actions: Record<string, number>;
  total: number;
  /** Calls refused by flow control (Throttling.User, settings.flowControl) per Action, also counted in `actions`. */
  refused: Record<string, number>;
}

/** `GET/PUT /_emulator/flow-control`: ECS's flow control in force (world settings). */
export interface FlowControlSettings {
  flowControl: Record<string, number>;
  flowControlWindowMs: number;
}

export interface EmulatorAdminClient {
  stats(): Promise<EmulatorStats>;
  resetStats(): Promise<void>;
  state(): Promise<Seed>;
  /** POST /_emulator/world; resolves to the new state, rejects with the emulator's message on a bad patch. */
  patch(patch: unknown): Promise<Seed>;
  setFaults(rules: FaultRule[], rngSeed?: number): Promise<void>;
  clearFaults(): Promise<void>;
  /** PUT /_emulator/flow-control: either field may be left out; `flowControl` replaces the whole table. */
  setFlowControl(settings: Partial<FlowControlSettings>): Promise<FlowControlSettings>;
}

export interface AdminClientOptions {
  /** The emulator's admin token, when it was started with one (`adminToken`, `--admin-token`). */
  token?: string;
}

/** One raw admin request; the typed methods of `emulatorAdmin` are built on it. Every request but a GET is sent as
 *  JSON, as the emulator requires. */
export async function adminRequest(url: string, method: string, path: string, body?: unknown, options: AdminClientOptions = {}): Promise<unknown> {
  const headers: Record<string, string> = method === "GET" ? {} : { "content-type": "application/json" };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${url}/_emulator/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} /_emulator/${path} → ${response.status}: ${(json as { message?: string }).message}`);
  return json;
}

/** `url` is the emulator's base URL, as printed at start-up. */
export function emulatorAdmin(url: string, options: AdminClientOptions = {}): EmulatorAdminClient {
  const admin = (method: string, path: string, body?: unknown) => adminRequest(url, method, path, body, options);
  return {
    stats: () => admin("GET", "stats") as Promise<EmulatorStats>,
    resetStats: async () => void (await admin("DELETE", "stats")),
    state: () => admin("GET", "state") as Promise<Seed>,
    patch: (patch) => admin("POST", "world", patch) as Promise<Seed>,
    setFaults: async (rules, rngSeed) => void (await admin("PUT", "faults", rngSeed === undefined ? { rules } : { rules, rngSeed })),
    clearFaults: async () => void (await admin("DELETE", "faults")),
    setFlowControl: (settings) => admin("PUT", "flow-control", settings) as Promise<FlowControlSettings>,
  };
}
