import { integerOutOfBounds, LIMITS, World, type Clock, type Seed } from "./models";
import { FaultInjector } from "./faults/fault-injector";
import { RequestStats } from "./stats";
import { NonceStore } from "./auth/nonce-store";
import { ALLOWED_SKEW_MS } from "./auth/authenticate";
import { StateKeeper } from "./persistence/state-keeper";
import { StateFileLock } from "./persistence/state-lock";
import { removeStaleTempFiles } from "./persistence/state-file";
import { initialState } from "./persistence/seed-source";
import { listen } from "./http/server";
import { PendingTimers } from "./pending-timers";
import { isLoopback } from "./admin/guard";
import { RequestLog } from "./console/request-log";
import { ConsoleHub } from "./console/hub";
import { CONSOLE_PATH } from "./console/routes";

export type { Seed, Clock } from "./models";
export type { FaultRule, FaultKind } from "./faults/fault-rules";
export {
  adminRequest,
  emulatorAdmin,
  type AdminClientOptions,
  type EmulatorAdminClient,
  type EmulatorStats,
  type FlowControlSettings,
} from "./admin-client";

export interface EmulatorOptions {
  /** The starting world, or the path of a seed JSON file. */
  seed: Seed | string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Save every mutation here; when the file exists at start, it is loaded instead of the seed. */
  statePath?: string;
  /** Drives the world's status transitions (default: the system clock); authentication always uses the wall clock. */
  clock?: Clock;
  /** When set, every admin request (/_emulator/*) must carry it: `Authorization: Bearer <token>` or
   *  `x-emulator-admin-token`. Without it, admin requests need no token (the default on loopback). */
  adminToken?: string;
  /** Signed requests one access key may make within the 30-minute nonce window (default 500,000, at most 2,000,000);
   *  beyond it the key gets 400 Throttling.User until its oldest nonces expire. */
  maxSignedRequestsPerKey?: number;
}

export interface RunningEmulator {
  url: string;
  /** The console, a live web page of the world, the requests and the faults (docs/emulator.md). */
  consoleUrl: string;
  close(): Promise<void>;
  /** The admin token in force, if one was given. */
  adminToken?: string;
}

const systemClock: Clock = { now: () => Date.now() };

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const lock = options.statePath === undefined ? undefined : StateFileLock.acquire(options.statePath);
  try {
    if (options.statePath !== undefined) removeStaleTempFiles(options.statePath);
    const emulator = await start(options);
    return { ...emulator, close: () => emulator.close().finally(() => lock?.release()) };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function start(options: EmulatorOptions): Promise<RunningEmulator> {
  const clock = options.clock ?? systemClock;
  const initial = initialState(options.seed, options.statePath);
  const world = World.fromSeed(initial.seed, clock);
  const faults = new FaultInjector(initial.faults, initial.rngSeed);
  const keeper = new StateKeeper(world, faults, options.statePath);
  keeper.saveNow();
  const timers = new PendingTimers();
  const knownActions = new Set(Object.keys(world.actions));
  const requestLog = new RequestLog(knownActions);
  const hub = new ConsoleHub(world, faults, requestLog);
  const nonces = new NonceStore(2 * ALLOWED_SKEW_MS, signedRequestsPerKey(options.maxSignedRequestsPerKey));
  // A world restarted from its state file outlives the nonces of its previous run: requests signed before this start are
  // refused. Timestamps carry whole seconds, so the start moves to the next whole second; nothing is served before it.
  const notBefore = initial.restarted ? Math.ceil(Date.now() / 1000) * 1000 : undefined;
  if (notBefore !== undefined) await timers.wait(notBefore - Date.now());
  const server = await listen(
    {
      world,
      faults,
      stats: new RequestStats(knownActions),
      state: () => keeper.state(),
      // Every change of the world (an action, a patch, a late apply) and of the faults goes through these: the console hears of it.
      commit: (change) => {
        const result = keeper.commit(change);
        hub.worldChanged();
        return result;
      },
      replaceFaults: (rules, rngSeed) => {
        keeper.replaceFaults(rules, rngSeed);
        hub.faultsChanged();
      },
      requestLog,
      console: hub,
      // A Timestamp may be up to the skew ahead, so a nonce must be remembered for twice the skew.
      // Clients sign with the wall clock, so timestamps are checked against it even when the world runs on a test clock.
      auth: { findAccessKey: (id) => world.findAccessKey(id), nonces, now: systemClock.now, notBefore },
      delay: (ms) => timers.wait(ms),
      later: (ms, task) => timers.after(ms, task),
    },
    { port: options.port ?? 0, host: options.host ?? "127.0.0.1", adminToken: options.adminToken },
  );
  warnBeyondLoopback(server.address.address, options.adminToken !== undefined);
  return {
    url: server.url,
    consoleUrl: `${server.url}${CONSOLE_PATH}`,
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    close: async () => {
      timers.cancelAll();
      hub.close();
      await server.close();
    },
  };
}

const DEFAULT_SIGNED_REQUESTS_PER_KEY = 500_000;

/** EmulatorOptions.maxSignedRequestsPerKey, within its bound. */
function signedRequestsPerKey(value: number | undefined): number {
  if (value === undefined) return DEFAULT_SIGNED_REQUESTS_PER_KEY;
  const why = integerOutOfBounds(value, LIMITS.signedRequestsPerKey);
  if (why !== undefined) throw new Error(`maxSignedRequestsPerKey ${why}`);
  return value;
}

/** Loopback keeps other machines out; beyond it the admin API and the seed's secrets are theirs to read. */
function warnBeyondLoopback(address: string, hasAdminToken: boolean): void {
  if (isLoopback(address)) return;
  const guarded = hasAdminToken
    ? "the admin API (/_emulator/) needs its token, but the token and the seed's secrets cross the network in the clear (no TLS)"
    : "so is the admin API (/_emulator/), which shows the seed's secrets and changes the world; set --admin-token (or --generate-admin-token)";
  console.error(`ecs-emulator: warning: listening on ${address}, beyond loopback: other machines can reach the ECS API, and ${guarded}`);
}
