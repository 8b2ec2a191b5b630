/**
 * Errors a user of the provider can see. Everything in them passes through `scrub`: @alicloud/pop-core and httpx put the
 * signed request URL (AccessKeyId, Signature, SecurityToken) into their messages, ECS's SignatureDoesNotMatch echoes
 * the server's string to sign, and a proxy or WAF in front of ECS may echo the whole request into any field.
 */

/** An error answered by ECS (it has a Code) or met on the way to it (see TRANSPORT in ecs-codes). */
export class EcsApiError extends Error {
  constructor(
    readonly action: string,
    /** ECS's error code, or one of ours (`Transport.*`) for failures without an ECS answer. */
    readonly code: string,
    readonly ecsMessage: string,
    readonly requestId: string | undefined,
    /** The HTTP status of the answer; undefined when there was none. */
    readonly httpStatus: number | undefined,
  ) {
    super(`${action}: ${code}: ${ecsMessage}${requestId ? ` (RequestId: ${requestId})` : ""}`);
    this.name = "EcsApiError";
  }

  /** What came back, without the action: code, message and RequestId. */
  get answer(): string {
    return this.message.slice(this.action.length + 2);
  }
}

/** A failure explained for the user: what happened, the ECS facts, and what to do. */
export class MembershipError extends Error {
  constructor(
    message: string,
    /** An ECS error code, or one of ours (OWN_CODES and TRANSPORT in ecs-codes). */
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "MembershipError";
  }
}

const REDACTED = "***";
const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'<>]+/gi;
/** A signed parameter, header or credential field in any spelling a server might echo: `k=v`, `k: v`, `"k":"v"`, `k%3Dv`. */
const SIGNED_FIELD =
  /(AccessKeyId|AccessKeySecret|SignatureNonce|SignatureMethod|SignatureVersion|Signature|SecurityToken|Credential|x-acs-[a-z-]+|authorization)(["']?\s*(?:=|:|%3D|%253D)\s*["']?)[^&\s,;"'<>]*/gi;
const MAX_TEXT = 600;

/**
 * Removes URLs, signed parameters and every given secret (raw and URL-encoded) from a text meant for users, and cuts it
 * to a readable length (an echoed request can be megabytes).
 */
export function scrub(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(/server string to sign is:[\s\S]*/i, "server string to sign is: (withheld)");
  out = out.replace(URL_PATTERN, "<ecs-endpoint>").replace(SIGNED_FIELD, `$1$2${REDACTED}`);
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))])) {
      out = out.split(form).join(REDACTED);
    }
  }
  out = out.replace(/(?![\t\n])\p{Cc}/gu, " ");
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}… (cut)` : out;
}
