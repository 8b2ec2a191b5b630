/**
 * States written by version 0.1 hold the provider's code itself, and that code loads eight of 0.1's internal modules by
 * path (`pulumi-alicloud-sg-membership/dist/provider/inputs.js` and the like). The package's `exports` map sends all
 * eight here: this module offers exactly the names and signatures that code calls, on top of today's implementation,
 * so `pulumi refresh`, `preview`, `up` and `destroy` of a 0.1 stack keep working after an upgrade. Frozen: it changes
 * only if today's internals move, never in what it offers.
 */
import { DEFAULT_BACKOFF } from "../calls/backoff";
import { resolveSettings } from "../membership/settings";
import { Deadline } from "../calls/deadline";
import { MembershipError } from "../ecs/errors";
import { checkInputs as checkCurrentInputs, membershipId, membershipIdOf, operationTimeoutMs, targetOf, UNKNOWN_VALUE } from "../membership/inputs";
import { MembershipOperation, type OperationEnv } from "../membership/operation";
import { RECENT_STATE_MAX_AGE_MS } from "../membership/recent-states";
import { isInterruptedCreate } from "../membership/interrupted-creates";
import { ecsAccess, progressLog, useProgressLog } from "../membership/runtime";
import { isMember, type TargetState } from "../ecs/target";
import { createProgressLog } from "./engine-log";

useProgressLog(createProgressLog);

export {
  DEFAULT_BACKOFF,
  Deadline,
  MembershipError,
  RECENT_STATE_MAX_AGE_MS,
  UNKNOWN_VALUE,
  ecsAccess,
  isMember,
  membershipId,
  operationTimeoutMs,
  progressLog,
  resolveSettings,
  targetOf,
};

/** 0.1's OperationEnv: today's without the endpoint, which its access already knows. */
type LegacyEnv = Omit<OperationEnv, "endpoint">;

function current(env: LegacyEnv): MembershipOperation {
  return new MembershipOperation({ ...env, endpoint: env.access.endpoint });
}

/** 0.1: `checkInputs(news, defaultRegion)`. Regions are not second-guessed for states that already exist. */
export function checkInputs(news: Record<string, unknown>, defaultRegion: string | undefined) {
  const { inputs, failures } = checkCurrentInputs(news, { defaultRegion, endpointConfigured: true });
  return { inputs, failures };
}

export function readRecent(env: LegacyEnv, maxAgeMs: number): Promise<TargetState | undefined> {
  return current(env).readRecent(maxAgeMs);
}

/** 0.1: `join(env, acceptExisting)`; a membership its interrupted run made is recovered as today's create does. */
export function join(env: LegacyEnv, acceptExisting: boolean): Promise<TargetState | undefined> {
  const recovered = isInterruptedCreate(env.urn, membershipIdOf(env.target.id, env.securityGroupId));
  return current(env).join(acceptExisting || recovered);
}

export function leave(env: LegacyEnv): Promise<void> {
  return current(env).leave();
}

/** 0.1 held a lock around the whole operation; today's operations lock their own writes, so this only runs the work. */
export function withTargetLock<T>(_key: string, work: () => Promise<T>): Promise<T> {
  return work();
}
