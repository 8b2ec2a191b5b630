import RPCClient from "@alicloud/pop-core";
import Ecs from "@alicloud/ecs20140526";
import { Config } from "@alicloud/openapi-client";
import { startEmulator, type FaultRule, type Seed } from "../../emulator";
import type { Clock } from "../../emulator/models";
import { defaultSeed, KEYS, REGION, type TestKey } from "./seed";

export interface TestEmulatorOptions {
  statePath?: string;
  clock?: Clock;
}

export interface Stats {
  actions: Record<string, number>;
  total: number;
}

export interface TestEmulator {
  url: string;
  close(): Promise<void>;
  stats(): Promise<Stats>;
  resetStats(): Promise<void>;
  state(): Promise<Seed>;
  /** POST /_emulator/world; resolves to the new state, rejects with the emulator's message on a bad patch. */
  patch(patch: unknown): Promise<Seed>;
  setFaults(rules: FaultRule[], rngSeed?: number): Promise<void>;
  clearFaults(): Promise<void>;
}

/** Starts an emulator on a free loopback port with the default world, its top-level lists replaced by `seed`'s. */
export async function startTestEmulator(seed: Partial<Seed> = {}, options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ seed: { ...defaultSeed(), ...seed }, port: 0, ...options });
  const admin = (method: string, path: string, body?: unknown) => adminRequest(emulator.url, method, path, body);
  return {
    url: emulator.url,
    close: () => emulator.close(),
    stats: () => admin("GET", "stats") as Promise<Stats>,
    resetStats: async () => void (await admin("DELETE", "stats")),
    state: () => admin("GET", "state") as Promise<Seed>,
    patch: (patch) => admin("POST", "world", patch) as Promise<Seed>,
    setFaults: async (rules, rngSeed) => void (await admin("PUT", "faults", rngSeed === undefined ? { rules } : { rules, rngSeed })),
    clearFaults: async () => void (await admin("DELETE", "faults")),
  };
}

export async function adminRequest(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} /_emulator/${path} → ${response.status}: ${(json as { message?: string }).message}`);
  return json;
}

/** A real pop-core RPC client (signature 1.0) against the emulator; `method` POST sends a form body. */
export function popClient(url: string, key: TestKey = KEYS.full, options: { method?: "GET" | "POST" } = {}): RPCClient {
  return new RPCClient({
    endpoint: url,
    apiVersion: "2014-05-26",
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    ...(key.securityToken ? { securityToken: key.securityToken } : {}),
    opts: { method: options.method ?? "GET", timeout: 10_000 },
  });
}

/** The official Tea SDK client, with its default ACS3-HMAC-SHA256 signature and no retries of its own. */
export function officialEcsClient(url: string, key: TestKey = KEYS.full): Ecs {
  return new Ecs(
    new Config({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      securityToken: key.securityToken,
      endpoint: new URL(url).host,
      protocol: "http",
      regionId: REGION,
    }) as never,
  );
}
