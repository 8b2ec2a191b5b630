/**
 * What a provider process keeps between operations: one keep-alive ECS client (with its quota limiters and read
 * coalescer) per endpoint and credentials, the engine logger, and what it already told the user about each endpoint. It lives on globalThis,
 * created on first use inside the process, so it is shared by every provider object the plugin loads.
 */
import type { Endpoint } from "../ecs/endpoint";
import { type ProviderSettings, endpointFor } from "./settings";
import { PacedEcs } from "../calls/paced-ecs";
import { createEcsClient } from "../ecs/client";
import { MembershipReader } from "./reader";
import { type ProgressLog, SILENT } from "./progress-log";
import { throttlingSummary } from "./throttling-summary";

/** How long the end of a run waits for its summary to reach the engine: the engine kills a plugin 5 s after closing it. */
const SUMMARY_DELIVERY_MS = 1_000;

export interface EcsAccess {
  endpoint: Endpoint;
  /** Every call, paced by the account's quota. */
  calls: PacedEcs;
  reader: MembershipReader;
  /** By region, the preflight read's verdict (membership/preflight.ts): asked once, awaited by every check. */
  preflights: Map<string, Promise<unknown>>;
}

interface ProcessRuntime {
  access: Map<string, EcsAccess>;
  log?: ProgressLog;
  /** Makes the log on first use: the face that loaded the provider says where progress goes. */
  makeLog?: () => ProgressLog;
  /** Transport failures already explained in full, by endpoint and code: one run, one diagnosis. */
  diagnosed: Set<string>;
}

function processRuntime(): ProcessRuntime {
  const holder = globalThis as { __alicloudSgMembershipRuntime?: ProcessRuntime };
  holder.__alicloudSgMembershipRuntime ??= { access: new Map(), diagnosed: new Set() };
  return holder.__alicloudSgMembershipRuntime;
}

export function progressLog(): ProgressLog {
  const runtime = processRuntime();
  runtime.log ??= runtime.makeLog?.() ?? SILENT;
  return runtime.log;
}

/** Called by a face when it loads; the first face's log is the process's (one process serves one face). */
export function useProgressLog(makeLog: () => ProgressLog): void {
  processRuntime().makeLog ??= makeLog;
}

/** True the first time this process explains `failure` at `endpoint`; later failures of the same kind say it briefly. */
export function firstDiagnosis(endpoint: string, failure: string): boolean {
  const diagnosed = processRuntime().diagnosed;
  const key = `${endpoint}|${failure}`;
  if (diagnosed.has(key)) return false;
  diagnosed.add(key);
  return true;
}

export function ecsAccess(settings: ProviderSettings, regionId: string): EcsAccess {
  const endpoint = endpointFor(settings, regionId);
  const key = `${endpoint.url}|${settings.credentials.fingerprint}`;
  const runtime = processRuntime();
  let access = runtime.access.get(key);
  if (!access) {
    const calls = new PacedEcs(createEcsClient(endpoint.url, settings.credentials), (action) => settings.quotas[action]);
    access = { endpoint, calls, reader: new MembershipReader(calls, progressLog()), preflights: new Map() };
    runtime.access.set(key, access);
  }
  return access;
}

/**
 * Tells the engine what the account's quota cost this process's run, one line per action it throttled, and waits (at
 * most 1 s) until the engine has them: the faces call it as the engine closes the process, the end of a run.
 */
export async function reportThrottling(): Promise<void> {
  const stats = [...processRuntime().access.values()].flatMap((access) => access.calls.stats());
  const lines = throttlingSummary(stats);
  if (lines.length === 0) return;
  const log = progressLog();
  for (const line of lines) log.info(line);
  await Promise.race([log.delivered(), new Promise((resolve) => setTimeout(resolve, SUMMARY_DELIVERY_MS).unref())]);
}
