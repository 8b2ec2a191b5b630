/**
 * The membership rules of the lifecycle: wait for a target that can change groups, join or leave with retries that
 * look before trying again when an earlier answer was ambiguous (Join and Leave are not idempotent), and wait until
 * ECS shows the result (ECS is eventually consistent: a Describe may show a change only some time after it).
 */
import { quotaWaitMessage } from "../calls/account-quota";
import type { BackoffPolicy } from "../calls/backoff";
import { Deadline, seconds } from "../calls/deadline";
import { ADOPT_HINT, ECS, OWN_CODES, ruleFor } from "../ecs/codes";
import { EcsApiError, MembershipError } from "../ecs/errors";
import { UnconfirmedWriteError } from "./errors";
import { explain, type OperationContext } from "./guidance";
import type { ProgressLog } from "./progress-log";
import { PollTimeoutError, pollUntil, retryMessage, withRetries, type RetryEvent } from "../calls/retry";
import type { EcsAccess } from "./runtime";
import { describeTarget, isMember, targetKey, type TargetState } from "../ecs/target";
import { withTargetLock } from "./target-lock";

/** ECS changes an instance's groups only in these states. */
const CHANGEABLE_STATUSES: readonly string[] = ["Running", "Stopped"];
/** After the deadline, one last look at a write whose outcome is unknown gets this long. */
const LAST_LOOK_MS = 5_000;

export interface OperationEnv extends OperationContext {
  access: EcsAccess;
  deadline: Deadline;
  policy: BackoffPolicy;
  log: ProgressLog;
  urn?: string;
}

/** As ECS reports the target now: what every write and its checks and waits go by. */
export function readLive(env: OperationEnv, deadline = env.deadline): Promise<TargetState | undefined> {
  return explainRead(env, env.access.reader.describe({ ...env, deadline }));
}

/** For read and diff only, which change nothing: may be a state asked for within `maxAgeMs`. */
export function readRecent(env: OperationEnv, maxAgeMs: number): Promise<TargetState | undefined> {
  return explainRead(env, env.access.reader.describeRecent(env, env.securityGroupId, maxAgeMs));
}

async function explainRead(env: OperationEnv, read: Promise<TargetState | undefined>): Promise<TargetState | undefined> {
  try {
    return await read;
  } catch (err) {
    throw explain(env.target.kind === "instance" ? "DescribeInstances" : "DescribeNetworkInterfaces", err, env);
  }
}

function isChangeable(state: TargetState | undefined): boolean {
  return !state || state.kind !== "instance" || CHANGEABLE_STATUSES.includes(state.status);
}

/** Waits until the instance is Running or Stopped (ENIs have no such rule: ECS's InvalidEniState is retried instead). */
async function waitUntilChangeable(env: OperationEnv, seen: TargetState | undefined): Promise<TargetState | undefined> {
  if (isChangeable(seen)) return seen;
  try {
    return await pollUntil(() => readLive(env), isChangeable, {
      budget: env.deadline,
      policy: env.policy,
      onWait: (state, polls, elapsed) =>
        env.log.info(
          `waiting for ${describeTarget(env.target)} to be Running or Stopped (now ${state?.status}; check ${polls}, ${seconds(elapsed)} elapsed)`,
          env.urn,
        ),
    });
  } catch (err) {
    if (!(err instanceof PollTimeoutError)) throw err;
    throw new MembershipError(
      `${describeTarget(env.target)} is still ${(err.last as TargetState | undefined)?.status} after ${seconds(err.elapsedMs)}; ` +
        `its security groups can only change while it is Running or Stopped (ECS would answer IncorrectInstanceStatus). ` +
        `Wait for it to settle and run again, or raise operationTimeoutSeconds (now ${env.timeoutSeconds}s).`,
      ECS.incorrectStatus,
    );
  }
}

/** Polls until ECS shows the membership (or its absence); a change ECS accepted but does not show yet stays unconfirmed. */
async function waitUntilVisible(env: OperationEnv, wantMember: boolean): Promise<TargetState | undefined> {
  const what = wantMember ? "appear" : "disappear";
  try {
    return await pollUntil(
      () => readLive(env),
      (state) => isMember(state, env.securityGroupId) === wantMember,
      {
        budget: env.deadline,
        policy: env.policy,
        onWait: (_, polls, elapsed) =>
          env.log.info(`waiting for the membership in ${env.securityGroupId} to ${what} (check ${polls}, ${seconds(elapsed)} elapsed)`, env.urn),
      },
    );
  } catch (err) {
    if (!(err instanceof PollTimeoutError)) throw err;
    throw new UnconfirmedWriteError(
      `ECS accepted the change, but the membership of ${describeTarget(env.target)} in ${env.securityGroupId} did not ${what} ` +
        `within ${seconds(err.elapsedMs)}; run again (or refresh) to pick up the final state.`,
      OWN_CODES.notVisible,
    );
  }
}

function targetParams(env: OperationEnv): Record<string, string> {
  const idParam = env.target.kind === "instance" ? "InstanceId" : "NetworkInterfaceId";
  return { [idParam]: env.target.id, SecurityGroupId: env.securityGroupId, RegionId: env.target.regionId };
}

type WriteAction = "JoinSecurityGroup" | "LeaveSecurityGroup";

interface WriteResult {
  /** Some attempt's answer left it unknown whether ECS carried it out. */
  ambiguous: boolean;
  /** The final error, if the write did not succeed. */
  error?: unknown;
}

/**
 * Sends Join or Leave with retries. After an answer that leaves the outcome unknown, looks before trying again: if the
 * earlier attempt took effect after all, the write is done. Only the call itself holds the target's lock.
 */
async function sendWrite(env: OperationEnv, action: WriteAction, done: (state: TargetState | undefined) => boolean): Promise<WriteResult> {
  const result: WriteResult = { ambiguous: false };
  let toldOfQuota = false;
  const onQuotaWait = (quotaAction: string, nextMinuteInMs: number) => {
    if (!toldOfQuota) env.log.info(quotaWaitMessage(quotaAction, nextMinuteInMs), env.urn);
    toldOfQuota = true;
  };
  const onRetry = (event: RetryEvent) => env.log.info(retryMessage(`${action} for ${describeTarget(env.target)}`, event), env.urn);
  const call = () =>
    withTargetLock(targetKey(env.target), env.deadline, describeTarget(env.target), async () => {
      // Before: no read or diff may take a state from before the change once it is sent; after: nor one read meanwhile.
      env.access.reader.markWritten(env.target);
      try {
        await env.access.calls.call(action, targetParams(env), { budget: env.deadline, onWait: onQuotaWait });
      } finally {
        env.access.reader.markWritten(env.target);
      }
    });
  try {
    await withRetries(async () => (result.ambiguous && done(await readLive(env)) ? undefined : call()), {
      kind: "write",
      paced: true,
      budget: env.deadline,
      policy: env.policy,
      onRetry,
      onFailure: (error) => (result.ambiguous ||= ruleFor(error.code, error.httpStatus).ambiguous === true),
    });
  } catch (err) {
    result.error = err;
  }
  return result;
}

/** The ECS answer (or transport failure) behind a write's final error. */
function ecsAnswerOf(err: unknown): EcsApiError | undefined {
  const cause = err instanceof EcsApiError ? err : (err as { lastError?: unknown })?.lastError;
  return cause instanceof EcsApiError ? cause : undefined;
}

/** One more look, after the deadline if need be, at a write whose outcome is unknown. */
async function lastLook(env: OperationEnv): Promise<TargetState | undefined> {
  return readLive(env, Deadline.after(Math.max(env.deadline.remainingMs(), LAST_LOOK_MS)));
}

function unconfirmed(action: WriteAction, err: unknown, env: OperationEnv): UnconfirmedWriteError {
  const explained = explain(action, err, env);
  const { code, requestId } = explained instanceof MembershipError ? explained : { code: undefined, requestId: undefined };
  const sequel =
    action === "JoinSecurityGroup"
      ? "ECS may still carry out one of these calls, so the membership is kept in the stack: the next `pulumi up` finishes it (joining only if it is missing), and `pulumi destroy` removes it."
      : "ECS may still carry out one of these calls; the membership stays in the stack, and the next run looks again.";
  return new UnconfirmedWriteError(`${explained.message} ${sequel}`, code, requestId);
}

export interface JoinOptions {
  /** The caller owns an existing membership (update after drift, adoption, or recovery of an interrupted run). */
  acceptExisting: boolean;
}

/**
 * Makes the target a member. A membership that already exists is refused unless the caller accepts it; ECS's
 * InvalidInstanceId.AlreadyExists after one of our own attempts was answered ambiguously is our success.
 */
export async function join(env: OperationEnv, options: JoinOptions): Promise<TargetState | undefined> {
  const existing = (state: TargetState | undefined) => {
    if (!isMember(state, env.securityGroupId)) return false;
    if (options.acceptExisting) return true;
    throw alreadyMemberError(env);
  };
  // An existing membership needs no changeable instance: check it before waiting, and again after.
  const seen = await readLive(env);
  if (existing(seen)) return seen;
  const changeable = await waitUntilChangeable(env, seen);
  if (existing(changeable)) return changeable;
  const write = await sendWrite(env, "JoinSecurityGroup", (live) => isMember(live, env.securityGroupId));
  if (write.error !== undefined) {
    const answer = ecsAnswerOf(write.error);
    const rule = answer ? ruleFor(answer.code) : undefined;
    if (rule?.memberOnJoin && !(options.acceptExisting || write.ambiguous)) throw alreadyMemberError(env, answer);
    if (!rule?.memberOnJoin) {
      if (!write.ambiguous) throw explain("JoinSecurityGroup", write.error, env);
      const last = await lastLook(env);
      if (isMember(last, env.securityGroupId)) return last;
      throw unconfirmed("JoinSecurityGroup", write.error, env);
    }
  }
  return waitUntilVisible(env, true);
}

/** Removes the target from the group; a membership that is already gone (or a gone target or group) is success. */
export async function leave(env: OperationEnv): Promise<void> {
  const seen = await readLive(env);
  if (!isMember(seen, env.securityGroupId)) return;
  if (!isMember(await waitUntilChangeable(env, seen), env.securityGroupId)) return;
  const write = await sendWrite(env, "LeaveSecurityGroup", (live) => !isMember(live, env.securityGroupId));
  if (write.error !== undefined) {
    const answer = ecsAnswerOf(write.error);
    if (answer && ruleFor(answer.code).goneOnLeave) return;
    if (!write.ambiguous) throw explain("LeaveSecurityGroup", write.error, env);
    if (!isMember(await lastLook(env), env.securityGroupId)) return;
    throw unconfirmed("LeaveSecurityGroup", write.error, env);
  }
  await waitUntilVisible(env, false);
}

/** The refusal of an existing membership the resource did not create, with the ways out; `answer` is ECS's, if it said so. */
export function alreadyMemberError(env: OperationContext, answer?: EcsApiError): MembershipError {
  const said = answer ? ` (JoinSecurityGroup answered ${answer.answer})` : "";
  return new MembershipError(
    `${describeTarget(env.target)} is already in security group ${env.securityGroupId}${said}, and this resource has no record of creating that membership. ` +
      "If an earlier `pulumi up` of this stack was interrupted (Ctrl-C twice, a killed CI job, a machine that slept), the membership is most " +
      "likely that run's own: run `npx sg-membership-recover` in the project to finish that update (it also releases the lock the " +
      `interrupted run left). Otherwise: ${ADOPT_HINT}`,
    ECS.alreadyMember,
    answer?.requestId,
  );
}
