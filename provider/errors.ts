/**
 * Errors a user of the provider can see. Everything that leaves the provider goes through `scrub`, because
 * @alicloud/pop-core and httpx put the signed request URL (AccessKeyId, Signature, SecurityToken) into their messages,
 * and ECS's SignatureDoesNotMatch message echoes the server's string to sign.
 */

/** An error answered by ECS (it has a Code) or met on the way to it (transport, non-JSON body). */
export class EcsApiError extends Error {
  constructor(
    readonly action: string,
    /** ECS's error code; for failures without an ECS answer one of the `Transport.*` codes below. */
    readonly code: string,
    readonly ecsMessage: string,
    readonly requestId: string | undefined,
    /** HTTP-level hint: 5xx and gateway failures are retryable whatever their code. */
    readonly serverSide: boolean,
  ) {
    super();
    // Set explicitly: serialized by Pulumi, `super(message)` becomes Error.call(this, message), which sets nothing.
    this.message = `${action}: ${code}: ${ecsMessage}${requestId ? ` (RequestId: ${requestId})` : ""}`;
    this.name = "EcsApiError";
  }
}

/** Codes for failures that never produced an ECS error body. */
export const TRANSPORT_CODES = {
  network: "Transport.NetworkError",
  timeout: "Transport.Timeout",
  badBody: "Transport.NonJsonResponse",
} as const;

/** A failure explained for the user: what happened, the ECS facts, and what to do. */
export class MembershipError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super();
    this.message = message; // see EcsApiError
    this.name = "MembershipError";
  }
}

const REDACTED = "***";
const URL_PATTERN = /https?:\/\/\S+/gi;
const SIGNED_PARAM = /(AccessKeyId|Signature|SecurityToken|SignatureNonce|AccessKeySecret)(=|%3D|%253D)[^&\s,]*/gi;

/** Removes URLs, signed parameters and every given secret (raw and URL-encoded) from a text meant for users. */
export function scrub(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(/,?\s*URL:\s*\S*/g, "");
  out = out.replace(/server string to sign is:[\s\S]*/i, "server string to sign is: (withheld)");
  out = out.replace(URL_PATTERN, "<ecs-endpoint>").replace(SIGNED_PARAM, `$1$2${REDACTED}`);
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}
