/**
 * The membership rules of the lifecycle: wait for a target that can change groups, join or leave with retries that
 * re-check live membership (Join and Leave are not idempotent), and wait until ECS shows the result.
 */
import type { EcsAccess } from "./runtime";
import { EcsApiError, MembershipError } from "./errors";
import { OperationContext, explain, ADOPT_HINT } from "./guidance";
import { describeTarget } from "./inputs";
import type { TargetState } from "./membership-reader";
import type { ProgressLog } from "./progress";
import { BackoffPolicy, Deadline, PollTimeoutError, RetryEvent, pollUntil, seconds, withRetries } from "./retry";

/** ECS changes groups only in these instance states. */
const SETTLED_STATUSES: readonly string[] = ["Running", "Stopped"];
/** Answers to Leave that mean the membership is already gone. */
const GONE_ON_LEAVE: readonly string[] = [
  "InstanceNotInSecurityGroup",
  "InvalidSecurityGroupAssociation.NotFound",
  "InvalidInstanceId.NotFound",
  "InvalidEniId.NotFound",
  "InvalidSecurityGroupId.NotFound",
];

export interface OperationEnv extends OperationContext {
  access: EcsAccess;
  deadline: Deadline;
  policy: BackoffPolicy;
  log: ProgressLog;
  urn?: string;
}

export function isMember(state: TargetState | undefined, securityGroupId: string): boolean {
  return !!state && state.securityGroupIds.includes(securityGroupId);
}

/** As ECS reports the target now: what every write and its checks and waits go by. */
export function readLive(env: OperationEnv): Promise<TargetState | undefined> {
  return explainRead(env, env.access.reader.read(env.target, env.deadline, env.policy));
}

/** For read and diff only, which change nothing: may be a state asked for within `maxAgeMs`. */
export function readRecent(env: OperationEnv, maxAgeMs: number): Promise<TargetState | undefined> {
  return explainRead(env, env.access.reader.readRecent(env.target, maxAgeMs, env.deadline, env.policy));
}

async function explainRead(env: OperationEnv, read: Promise<TargetState | undefined>): Promise<TargetState | undefined> {
  try {
    return await read;
  } catch (err) {
    const action = env.target.kind === "instance" ? "DescribeInstances" : "DescribeNetworkInterfaces";
    throw explain(action, err, env);
  }
}

function isSettled(state: TargetState | undefined): boolean {
  return !state || state.kind !== "instance" || SETTLED_STATUSES.includes(state.status);
}

/** Waits until the instance is Running or Stopped (ENIs have no such rule: ECS's InvalidEniState is retried instead). */
async function settle(env: OperationEnv, seen: TargetState | undefined): Promise<TargetState | undefined> {
  if (isSettled(seen)) return seen;
  try {
    return await pollUntil(() => readLive(env), isSettled, {
      deadline: env.deadline,
      policy: env.policy,
      onWait: (state, polls, elapsed) =>
        env.log.info(`waiting for ${describeTarget(env.target)} to be Running or Stopped (now ${state?.status}; check ${polls}, ${seconds(elapsed)} elapsed)`, env.urn),
    });
  } catch (err) {
    if (!(err instanceof PollTimeoutError)) throw err;
    throw new MembershipError(
      `${describeTarget(env.target)} is still ${(err.last as TargetState | undefined)?.status} after ${seconds(err.elapsedMs)}; ` +
        `its security groups can only change while it is Running or Stopped (ECS would answer IncorrectInstanceStatus). ` +
        `Wait for it to settle and run again, or raise operationTimeoutSeconds (now ${env.timeoutSeconds}s).`,
      "IncorrectInstanceStatus",
    );
  }
}

async function waitUntilVisible(env: OperationEnv, wantMember: boolean): Promise<TargetState | undefined> {
  const what = wantMember ? "appear" : "disappear";
  try {
    return await pollUntil(() => readLive(env), (state) => isMember(state, env.securityGroupId) === wantMember, {
      deadline: env.deadline,
      policy: env.policy,
      onWait: (_, polls, elapsed) => env.log.info(`waiting for the membership in ${env.securityGroupId} to ${what} (check ${polls}, ${seconds(elapsed)} elapsed)`, env.urn),
    });
  } catch (err) {
    if (!(err instanceof PollTimeoutError)) throw err;
    throw new MembershipError(
      `ECS accepted the change, but the membership of ${describeTarget(env.target)} in ${env.securityGroupId} did not ${what} ` +
        `within ${seconds(err.elapsedMs)}; run again (or refresh) to pick up the final state.`,
    );
  }
}

function targetParams(env: OperationEnv): Record<string, string> {
  const idParam = env.target.kind === "instance" ? "InstanceId" : "NetworkInterfaceId";
  return { [idParam]: env.target.id, SecurityGroupId: env.securityGroupId, RegionId: env.target.regionId };
}

/** Calls Join or Leave with retries; before each retry asks ECS whether an earlier attempt already took effect. */
async function writeWithRetries(env: OperationEnv, action: string, alreadyDone: (state: TargetState | undefined) => boolean): Promise<void> {
  const onRetry = (event: RetryEvent) =>
    env.log.info(`${action} for ${describeTarget(env.target)}: ${event.error.message}; retry ${event.attempt} in ${event.delayMs}ms (${seconds(event.elapsedMs)} elapsed)`, env.urn);
  await withRetries(
    async (attempt) => {
      if (attempt > 1 && alreadyDone(await readLive(env))) return;
      // Before: no read or diff may take a state from before the change once it is sent; after: nor one read meanwhile.
      env.access.reader.forget(env.target);
      try {
        await env.access.client.call(action, targetParams(env), env.deadline.requestTimeoutMs());
      } finally {
        env.access.reader.forget(env.target);
      }
    },
    { kind: "write", deadline: env.deadline, policy: env.policy, onRetry },
  );
}

/**
 * Makes the target a member. A membership that already exists is an error unless the caller owns it (update after
 * drift) or adopts it; InvalidInstanceId.AlreadyExists after one of our own attempts failed in flight is our success.
 */
export async function join(env: OperationEnv, acceptExisting: boolean): Promise<TargetState | undefined> {
  const existing = (state: TargetState | undefined) => {
    if (!isMember(state, env.securityGroupId)) return false;
    if (acceptExisting) return true;
    throw new MembershipError(
      `${describeTarget(env.target)} is already in security group ${env.securityGroupId}, and this resource did not create that membership. ${ADOPT_HINT}`,
      "InvalidInstanceId.AlreadyExists",
    );
  };
  // An existing membership needs no settled instance: check it before waiting, and again after.
  const seen = await readLive(env);
  if (existing(seen)) return seen;
  const settled = await settle(env, seen);
  if (existing(settled)) return settled;
  let retried = false;
  const joinedMeanwhile = (live: TargetState | undefined) => {
    retried = true;
    return isMember(live, env.securityGroupId);
  };
  try {
    await writeWithRetries(env, "JoinSecurityGroup", joinedMeanwhile);
  } catch (err) {
    const code = err instanceof EcsApiError ? err.code : undefined;
    if (code !== "InvalidInstanceId.AlreadyExists" || !(acceptExisting || retried)) throw explain("JoinSecurityGroup", err, env);
  }
  return waitUntilVisible(env, true);
}

/** Removes the target from the group; a membership that is already gone (or a gone target or group) is success. */
export async function leave(env: OperationEnv): Promise<void> {
  const seen = await readLive(env);
  if (!isMember(seen, env.securityGroupId)) return;
  if (!isMember(await settle(env, seen), env.securityGroupId)) return;
  try {
    await writeWithRetries(env, "LeaveSecurityGroup", (live) => !isMember(live, env.securityGroupId));
  } catch (err) {
    if (err instanceof EcsApiError && GONE_ON_LEAVE.includes(err.code)) return;
    throw explain("LeaveSecurityGroup", err, env);
  }
  await waitUntilVisible(env, false);
}
