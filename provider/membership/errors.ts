/**
 * Failures of a membership write whose outcome ECS left open: the faces must keep such a membership in the stack.
 */
import { MembershipError } from "../ecs/errors";

/** A Join or Leave that failed after ECS may have carried it out (an ambiguous answer, or accepted but not yet visible). */
export class UnconfirmedWriteError extends MembershipError {
  constructor(message: string, code?: string, requestId?: string) {
    super(message, code, requestId);
    this.name = "UnconfirmedWriteError";
  }
}

/**
 * A create that failed after ECS may have carried out its Join. The dynamic-provider plugin turns an error with `id` and
 * `properties` into Pulumi's "created, but failed to initialize": the engine keeps the resource in the stack, the next
 * `pulumi up` updates it (which joins only if the membership is missing) and `pulumi destroy` deletes it, so a Join that
 * lands late never leaves a membership nobody tracks.
 */
export class OutcomeUnknownError extends MembershipError {
  readonly reasons: string[];

  constructor(
    cause: MembershipError,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(cause.message, cause.code, cause.requestId);
    this.name = "OutcomeUnknownError";
    this.reasons = [cause.message];
  }
}
