/**
 * Turns a failed ECS call into the message a user reads: what we tried, ECS's code, message and RequestId (or, when
 * ECS never answered, the endpoint, where it came from and the cause in words), and what to do about it.
 */
import { seconds } from "../calls/deadline";
import { ruleFor, type HintContext } from "../ecs/codes";
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

/** What happened on the way to ECS: in full the first time this run meets it at this endpoint, briefly after that. */
function transportStory(cause: EcsApiError, ctx: OperationContext): { text: string; brief: boolean } {
  const where = `${displayEndpoint(ctx.endpoint.url)} (from ${ctx.endpoint.source})`;
  if (firstDiagnosis(ctx.endpoint.url, cause.code)) return { text: `${cause.code}: ${cause.ecsMessage}, at ${where}.`, brief: false };
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

/** The user-facing error for a failed call; MembershipErrors pass through unchanged, credential ones briefly after the first. */
export function explain(err: unknown, ctx: OperationContext): Error {
  if (err instanceof MembershipError) return credentialsOnceInFull(err) as MembershipError;
  const gaveUp = err instanceof GaveUpError ? err : undefined;
  const cause = gaveUp ? gaveUp.lastError : err;
  if (!(cause instanceof EcsApiError)) return err instanceof Error ? err : new Error(String(err));
  const subject = `${cause.action} for ${describeTarget(ctx.target)} and security group ${ctx.securityGroupId} failed`;
  const story = cause.code.startsWith("Transport.") ? transportStory(cause, ctx) : { text: `${cause.answer}.`, brief: false };
  if (story.brief) return new MembershipError(`${subject}: ${story.text}`, cause.code);
  const retried = gaveUp
    ? ` Still failing after ${gaveUp.attempts} attempts over ${seconds(gaveUp.elapsedMs)} (operationTimeoutSeconds: ${ctx.timeoutSeconds}).`
    : "";
  const hint = ruleFor(cause.code, cause.httpStatus).hint?.({ ...ctx, action: cause.action });
  return new MembershipError(`${subject}: ${story.text}${retried}${hint ? ` ${hint}` : ""}`, cause.code, cause.requestId);
}
