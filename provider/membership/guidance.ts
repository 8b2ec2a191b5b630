/**
 * Turns a failed ECS call into the message a user reads: what we tried, ECS's code, message and RequestId (or, when
 * ECS never answered, the endpoint, where it came from and the cause in words), and what to do about it.
 */
import { seconds } from "../calls/deadline";
import { ruleFor, type CallContext, type CodeRule, type HintContext } from "../ecs/codes";
import { EcsApiError, MembershipError } from "../ecs/errors";
import { GaveUpError } from "../calls/retry";
import { firstDiagnosis } from "./runtime";
import { describeTarget } from "../ecs/target";
import { HOW_TO_SET_CREDENTIALS_START } from "./settings";

export type OperationContext = Omit<HintContext, "action">;

/** How a brief message points to the full one, which the same run showed against another resource. */
const AS_EXPLAINED = "as explained in full for the first resource of this run that met it.";

/** A problem every resource of a run shares: `full` the first time this run meets it, `brief` and a pointer to it after. */
export function onceInFull(full: string, brief: string): string {
  return firstDiagnosis("shared", full) ? full : `${brief}, ${AS_EXPLAINED}`;
}

/** The endpoint as it may be shown: no user info, query or fragment. */
export function displayEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(an endpoint that is not a URL)";
  }
}

/**
 * What ECS answered, or what happened on the way to it. An answer every call would get alike (credentials refused, a
 * region the endpoint does not know) is told in full the first time this run meets it at this endpoint, in this region,
 * with these credentials, briefly after that; a failure on the way, the first time at this endpoint.
 */
function story(cause: EcsApiError, ctx: FailureContext): { text: string; brief: boolean } {
  const transport = cause.code.startsWith("Transport.");
  const where = `${displayEndpoint(ctx.endpoint.url)} (from ${ctx.endpoint.source})`;
  const full = transport ? `${cause.code}: ${cause.ecsMessage}, at ${where}.` : `${cause.answer}.`;
  if (!transport && ruleFor(cause.code, cause.httpStatus).sameForEveryCall === undefined) return { text: full, brief: false };
  const seenAt = transport ? ctx.endpoint.url : `${ctx.endpoint.url}|${ctx.regionId}|${ctx.credentials}`;
  if (firstDiagnosis(seenAt, cause.code)) return { text: full, brief: false };
  return { text: `${cause.code} at ${where}, ${AS_EXPLAINED}`, brief: true };
}

/**
 * Credentials that are missing, half or empty fail every resource of the run alike: the first one to meet the problem
 * says it in full, with every way to set them; the others say what it is and point there, so the list is read once.
 */
export function credentialsOnceInFull(err: unknown): unknown {
  if (!(err instanceof MembershipError)) return err;
  const at = err.message.indexOf(HOW_TO_SET_CREDENTIALS_START);
  if (at < 0 || firstDiagnosis("credentials", err.message)) return err;
  const what = err.message.slice(0, at).replace(/[\s:;,]+$/, "");
  return new MembershipError(`${what}, ${AS_EXPLAINED}`, err.code);
}

/** What an explanation needs of a call that failed: where it went and as whom. */
type FailureContext = Omit<CallContext, "action">;

/** How to tell a failure: what was asked, what a hint may know, and what the retries were bound by. */
interface Telling {
  subject: (action: string) => string;
  hint: (rule: CodeRule, action: string) => string | undefined;
  /** Said after "Still failing after N attempts over Ns", e.g. the deadline that ended the retries. */
  boundBy: string;
}

/**
 * A failed call as the user reads it: what was asked, ECS's code, message and RequestId (or the cause on the way), how
 * long it was retried, and what to do; `brief` when the run already told the same problem in full.
 */
function tell(err: unknown, ctx: FailureContext, telling: Telling): { error: Error; brief: boolean } {
  if (err instanceof MembershipError) {
    const told = credentialsOnceInFull(err) as MembershipError;
    return { error: told, brief: told !== err };
  }
  const gaveUp = err instanceof GaveUpError ? err : undefined;
  const cause = gaveUp ? gaveUp.lastError : err;
  if (!(cause instanceof EcsApiError)) return { error: err instanceof Error ? err : new Error(String(err)), brief: false };
  const failed = `${telling.subject(cause.action)} failed`;
  const { text, brief } = story(cause, ctx);
  if (brief) return { error: new MembershipError(`${failed}: ${text}`, cause.code), brief };
  const hint = telling.hint(ruleFor(cause.code, cause.httpStatus), cause.action);
  const still = gaveUp ? ` Still failing after ${gaveUp.attempts} attempts over ${seconds(gaveUp.elapsedMs)}${telling.boundBy}.` : "";
  return { error: new MembershipError(`${failed}: ${text}${still}${hint ? ` ${hint}` : ""}`, cause.code, cause.requestId), brief };
}

/** The user-facing error for a failed call; MembershipErrors pass through unchanged, credential ones briefly after the first. */
export function explain(err: unknown, ctx: OperationContext): Error {
  return tell(err, ctx, {
    subject: (action) => `${action} for ${describeTarget(ctx.target)} and security group ${ctx.securityGroupId}`,
    hint: (rule, action) => rule.hint?.({ ...ctx, action }),
    boundBy: ` (operationTimeoutSeconds: ${ctx.timeoutSeconds})`,
  }).error;
}

/**
 * The error of a preflight read (membership/preflight.ts) that got an answer every call would get: what the read was
 * for, the answer, what to do and, the first time, how to do without the check.
 */
export function explainPreflight(err: unknown, ctx: FailureContext, offSwitch: string): Error {
  const { error, brief } = tell(err, ctx, {
    subject: (action) => `The preflight check of the ECS endpoint and credentials (${action} in ${ctx.regionId}, before any change)`,
    hint: (rule, action) => rule.sameForEveryCall?.({ ...ctx, action }),
    boundBy: "",
  });
  if (brief) return error;
  const code = error instanceof MembershipError ? error.code : undefined;
  const requestId = error instanceof MembershipError ? error.requestId : undefined;
  return new MembershipError(
    `${error.message} (A preview meant to run without credentials or ECS can skip this check: ${offSwitch}.)`,
    code,
    requestId,
  );
}
