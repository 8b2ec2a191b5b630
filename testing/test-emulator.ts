import type RPCClient from "@alicloud/pop-core";
import type { Credentials } from "./credentials";
import { emulatorAdmin, startEmulator, type EmulatorAdminClient, type EmulatorStats, type Seed } from "../emulator";
import { ecsRpcClient } from "./ecs-rpc-client";
import type { Clock } from "../emulator/models";
import { defaultSeed, KEYS } from "./default-world";

export interface TestEmulatorOptions {
  statePath?: string;
  clock?: Clock;
}

export type Stats = EmulatorStats;

export interface TestEmulator extends EmulatorAdminClient {
  url: string;
  close(): Promise<void>;
}

/** Starts an emulator on a free loopback port with the default world, its top-level lists replaced by `seed`'s. */
export async function startTestEmulator(seed: Partial<Seed> = {}, options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ seed: { ...defaultSeed(), ...seed }, port: 0, ...options });
  return { url: emulator.url, close: () => emulator.close(), ...emulatorAdmin(emulator.url) };
}

/** A real pop-core RPC client (signature 1.0) against the emulator; `method` POST sends a form body. */
export function popClient(url: string, key: Credentials = KEYS.full, options: { method?: "GET" | "POST" } = {}): RPCClient {
  return ecsRpcClient(url, key, options.method);
}
