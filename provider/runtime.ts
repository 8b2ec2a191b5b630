/**
 * What a provider process keeps between operations: one keep-alive ECS client (and its read coalescer) per endpoint
 * and credentials, and the engine logger. It lives on globalThis, created on first use inside the process, so it is
 * never part of the serialized provider and is shared by every deserialized copy of it.
 */
import { ProviderSettings, endpointFor } from "./config";
import { EcsClient, createEcsClient } from "./ecs-client";
import { MembershipReader } from "./membership-reader";
import { ProgressLog, createProgressLog } from "./progress";

export interface EcsAccess {
  client: EcsClient;
  reader: MembershipReader;
}

interface ProcessRuntime {
  access: Map<string, EcsAccess>;
  log?: ProgressLog;
}

function processRuntime(): ProcessRuntime {
  const holder = globalThis as { __alicloudSgMembershipRuntime?: ProcessRuntime };
  holder.__alicloudSgMembershipRuntime ??= { access: new Map() };
  return holder.__alicloudSgMembershipRuntime;
}

export function progressLog(): ProgressLog {
  const runtime = processRuntime();
  runtime.log ??= createProgressLog();
  return runtime.log;
}

export function ecsAccess(settings: ProviderSettings, regionId: string): EcsAccess {
  const endpoint = endpointFor(settings, regionId);
  const key = `${endpoint}|${settings.credentials.fingerprint}`;
  const runtime = processRuntime();
  let access = runtime.access.get(key);
  if (!access) {
    const client = createEcsClient(endpoint, settings.credentials);
    const reader = new MembershipReader(client, (action, event) =>
      progressLog().info(`${action}: ${event.error.message}; retry ${event.attempt} in ${event.delayMs}ms`),
    );
    access = { client, reader };
    runtime.access.set(key, access);
  }
  return access;
}
