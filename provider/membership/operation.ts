/**
 * One operation on one membership, read top-down: `join` (create, update) and `leave` (delete) each send the write,
 * wait until the target can change groups if ECS says it cannot yet, and wait until ECS shows the result; `readRecent`
 * serves read and diff. ECS's answer to the write is the look before it: "already a member", "not a member" and a gone
 * target or group are answers of their own, so no Describe goes before a write (each would cost the account's Describe
 * quota). Join and Leave are not idempotent, so a write whose answer was ambiguous is looked at before it is tried
 * again, and ECS is eventually consistent, so a write is done only once a Describe shows it. Failures are explained for
 * the user in one place, where an operation ends.
 */
import { quotaWaitMessage } from "../calls/account-quota";
import type { BackoffPolicy } from "../calls/backoff";
import { Deadline, seconds } from "../calls/deadline";
import { PollTimeoutError, pollUntil, retryMessage, withRetries } from "../calls/retry";
import { ADOPT_HINT, ECS, OWN_CODES, ruleFor, type CodeRule } from "../ecs/codes";
import { EcsApiError, MembershipError } from "../ecs/errors";
import { describeTarget, isMember, targetKey, type TargetState } from "../ecs/target";
import { UnconfirmedWriteError } from "./errors";
import { explain, type OperationContext } from "./guidance";
import type { ProgressLog } from "./progress-log";
import type { EcsAccess } from "./runtime";
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

type WriteAction = "JoinSecurityGroup" | "LeaveSecurityGroup";

/** How a write ended: `error` is unset when ECS accepted it. */
interface WriteOutcome {
  action: WriteAction;
  /** Some attempt's answer left it unknown whether ECS carried it out. */
  ambiguous: boolean;
  /** The look after such an answer failed by the deadline: it stays unknown. */
  lookFailed?: boolean;
  error?: unknown;
  /** The rule of ECS's final answer, when ECS gave one. */
  rule?: CodeRule;
  answer?: EcsApiError;
}

export class MembershipOperation {
  constructor(private readonly env: OperationEnv) {}

  /**
   * Makes the target a member and returns its state. A membership that already exists is refused unless the caller
   * accepts it (update after drift, adoption, recovery of an interrupted run); ECS's "already a member" answer after an
   * ambiguous attempt of ours is our own Join landing.
   */
  async join(acceptExisting: boolean): Promise<TargetState | undefined> {
    const ended = this.env.access.reader.writeStarted(this.env.target);
    try {
      // Confirming or adopting expects the membership to be there: a look settles that without a write.
      if (acceptExisting) {
        const before = await this.readLive();
        if (isMember(before, this.env.securityGroupId)) return before;
      }
      const write = await this.send("JoinSecurityGroup");
      if (write.error === undefined) return await this.untilShown(true);
      if (write.rule?.memberOnJoin) {
        if (!(acceptExisting || write.ambiguous)) throw alreadyMemberError(this.env, write.answer);
        return await this.untilShown(true);
      }
      const last = await this.lastLookIfAmbiguous(write);
      if (isMember(last, this.env.securityGroupId)) return last;
      throw this.unconfirmed(write);
    } catch (err) {
      throw this.explained(err);
    } finally {
      ended();
    }
  }

  /** Removes the target from the group; a membership that is already gone (or a gone target or group) is success. */
  async leave(): Promise<void> {
    const ended = this.env.access.reader.writeStarted(this.env.target);
    try {
      const write = await this.send("LeaveSecurityGroup");
      if (write.error === undefined) await this.untilShown(false);
      else if (write.rule?.goneOnLeave) return;
      else if (isMember(await this.lastLookIfAmbiguous(write), this.env.securityGroupId)) throw this.unconfirmed(write);
    } catch (err) {
      throw this.explained(err);
    } finally {
      ended();
    }
  }

  /** For read and diff only, which change nothing: may be a state asked for within `maxAgeMs`. */
  async readRecent(maxAgeMs: number): Promise<TargetState | undefined> {
    try {
      return await this.env.access.reader.describeRecent(this.env, this.env.securityGroupId, maxAgeMs);
    } catch (err) {
      throw this.explained(err);
    }
  }

  /**
   * After ECS answered that the instance cannot change groups now: the target once it is Running or Stopped, or already
   * as the write would leave it (ENIs have no such rule: ECS's InvalidEniState is retried instead).
   */
  private async untilChangeable(wantMember: boolean, refusal: string): Promise<TargetState | undefined> {
    try {
      return await pollUntil(
        () => this.readLive(),
        (state) => isMember(state, this.env.securityGroupId) === wantMember || isChangeable(state),
        {
          budget: this.env.deadline,
          policy: this.env.policy,
          onWait: (state, polls, elapsed) =>
            this.progress(
              `waiting for ${this.subject()} to be Running or Stopped (now ${state?.status}; check ${polls}, ${seconds(elapsed)} elapsed)`,
            ),
        },
      );
    } catch (err) {
      if (!(err instanceof PollTimeoutError)) throw err;
      throw new MembershipError(
        `${this.subject()} is still ${(err.last as TargetState | undefined)?.status} after ${seconds(err.elapsedMs)}; ` +
          `its security groups can only change while it is Running or Stopped (ECS answered ${refusal}). ` +
          `Wait for it to settle and run again, or raise operationTimeoutSeconds (now ${this.env.timeoutSeconds}s).`,
        ECS.incorrectStatus,
      );
    }
  }

  /**
   * Sends Join or Leave with retries. After an ambiguous answer, looks before trying again, and a write that took
   * effect after all is done; after "the instance is not Running or Stopped", waits for that by reading, not by writing
   * (a refused write still counts against the account's quota for it). Only the call itself holds the target's lock.
   */
  private async send(action: WriteAction): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { action, ambiguous: false };
    const wantMember = action === "JoinSecurityGroup";
    const tookEffect = (state: TargetState | undefined) => isMember(state, this.env.securityGroupId) === wantMember;
    let unsettled: string | undefined;
    const attempt = async (): Promise<void> => {
      if (outcome.ambiguous && tookEffect(await this.lookAfterAmbiguity(outcome))) return;
      if (unsettled) {
        const settled = await this.untilChangeable(wantMember, unsettled);
        // A Join goes anyway, even to a member: ECS's answer to it is what tells whose membership that is.
        if (!wantMember && tookEffect(settled)) return;
      }
      return this.sendOnce(action);
    };
    try {
      await withRetries(attempt, {
        kind: "write",
        paced: true,
        budget: this.env.deadline,
        policy: this.env.policy,
        onRetry: (event) => {
          if (!unsettled) this.progress(retryMessage(`${action} for ${this.subject()}`, event));
        },
        onFailure: (error) => {
          outcome.ambiguous ||= ruleFor(error.code, error.httpStatus).ambiguous === true;
          unsettled = ruleFor(error.code, error.httpStatus).settling ? error.code : undefined;
        },
      });
    } catch (err) {
      const cause = err instanceof EcsApiError ? err : (err as { lastError?: unknown })?.lastError;
      const answer = cause instanceof EcsApiError ? cause : undefined;
      return { ...outcome, error: err, answer, rule: answer && ruleFor(answer.code) };
    }
    return outcome;
  }

  private async lookAfterAmbiguity(outcome: WriteOutcome): Promise<TargetState | undefined> {
    try {
      return await this.readLive();
    } catch (err) {
      outcome.lookFailed = true;
      throw err;
    }
  }

  private sendOnce(action: WriteAction): Promise<void> {
    const { access, target, deadline } = this.env;
    let toldOfQuota = false;
    const onWait = (quotaAction: string, nextMinuteInMs: number) => {
      if (!toldOfQuota) this.progress(quotaWaitMessage(quotaAction, nextMinuteInMs));
      toldOfQuota = true;
    };
    const idParam = target.kind === "instance" ? "InstanceId" : "NetworkInterfaceId";
    const params = { [idParam]: target.id, SecurityGroupId: this.env.securityGroupId, RegionId: target.regionId };
    return withTargetLock(targetKey(target), deadline, this.subject(), async () => {
      // Before: no read or diff may take a state from before the change once it is sent; after: nor one read meanwhile.
      access.reader.markWritten(target);
      try {
        await access.calls.call(action, params, { budget: deadline, onWait });
      } finally {
        access.reader.markWritten(target);
      }
    });
  }

  /** Polls until ECS shows the membership (or its absence); a change ECS accepted but does not show yet stays unconfirmed. */
  private async untilShown(wantMember: boolean): Promise<TargetState | undefined> {
    const what = wantMember ? "appear" : "disappear";
    try {
      return await pollUntil(
        () => this.env.access.reader.confirm(this.env),
        (state) => isMember(state, this.env.securityGroupId) === wantMember,
        {
          budget: this.env.deadline,
          policy: this.env.policy,
          onWait: (_, polls, elapsed) =>
            this.progress(`waiting for the membership in ${this.env.securityGroupId} to ${what} (check ${polls}, ${seconds(elapsed)} elapsed)`),
        },
      );
    } catch (err) {
      if (!(err instanceof PollTimeoutError)) throw err;
      throw new UnconfirmedWriteError(
        `ECS accepted the change, but the membership of ${this.subject()} in ${this.env.securityGroupId} did not ${what} ` +
          `within ${seconds(err.elapsedMs)}; run again (or refresh) to pick up the final state.`,
        OWN_CODES.notVisible,
      );
    }
  }

  /**
   * A failed write whose outcome is known fails as it is; otherwise one more look, past the deadline if need be, unless
   * a look just failed by the deadline.
   */
  private async lastLookIfAmbiguous(write: WriteOutcome): Promise<TargetState | undefined> {
    if (!write.ambiguous) throw write.error;
    if (write.lookFailed) throw this.unconfirmed(write);
    return this.readLive(Deadline.after(Math.max(this.env.deadline.remainingMs(), LAST_LOOK_MS)));
  }

  private unconfirmed(write: WriteOutcome): UnconfirmedWriteError {
    const explained = explain(write.error, this.env);
    const { code, requestId } = explained instanceof MembershipError ? explained : { code: undefined, requestId: undefined };
    const sequel = write.action === "JoinSecurityGroup" ? JOIN_SEQUEL : LEAVE_SEQUEL;
    const lead = write.lookFailed ? `${write.action} for ${this.subject()} got no clear answer, and the look at whether it took effect failed: ` : "";
    return new UnconfirmedWriteError(`${lead}${explained.message} ${sequel}`, code, requestId);
  }

  /** As ECS reports the target now: what every write and its checks and waits go by. */
  private readLive(deadline = this.env.deadline): Promise<TargetState | undefined> {
    return this.env.access.reader.describe({ ...this.env, deadline });
  }

  private explained(err: unknown): Error {
    return err instanceof UnconfirmedWriteError ? err : explain(err, this.env);
  }

  private subject(): string {
    return describeTarget(this.env.target);
  }

  private progress(message: string): void {
    this.env.log.info(message, this.env.urn);
  }
}

const JOIN_SEQUEL =
  "ECS may still carry out one of these calls, so the membership is kept in the stack: the next `pulumi up` finishes it (joining only if it is missing), and `pulumi destroy` removes it.";
const LEAVE_SEQUEL = "ECS may still carry out one of these calls; the membership stays in the stack, and the next run looks again.";

function isChangeable(state: TargetState | undefined): boolean {
  return !state || state.kind !== "instance" || CHANGEABLE_STATUSES.includes(state.status);
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
