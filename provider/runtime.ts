/**
 * What a provider process keeps between operations: one keep-alive ECS client (and its read coalescer) per endpoint
 * and credentials, the engine logger, and what it already told the user about each endpoint. It lives on globalThis,
 * created on first use inside the process, so it is shared by every provider object the plugin loads.
 */
import { type Endpoint, type ProviderSettings, endpointFor } from "./config";
import { createEcsClient, type EcsClient } from "./ecs-client";
import { MembershipReader } from "./membership-reader";
import { type ProgressLog, createProgressLog } from "./progress";

export interface EcsAccess {
  endpoint: Endpoint;
  client: EcsClient;
  reader: MembershipReader;
}

interface ProcessRuntime {
  access: Map<string, EcsAccess>;
  log?: ProgressLog;
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
  runtime.log ??= createProgressLog();
  return runtime.log;
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
    const client = createEcsClient(endpoint.url, settings.credentials);
    access = { endpoint, client, reader: new MembershipReader(client, progressLog()) };
    runtime.access.set(key, access);
  }
  return access;
}
