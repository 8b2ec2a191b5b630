import { EcsError, ecsErrors } from "../models";

/** The API gateway's own errors, common to every ECS action, with ECS's codes, statuses and messages. */
export const gatewayErrors = {
  missingParameter: ecsErrors.missingParameter,
  invalidVersion: () => new EcsError("InvalidVersion", 400, "Specified parameter Version is not valid."),
  actionNotFound: () =>
    new EcsError("InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method."),
  incompleteSignature: (why: string) =>
    new EcsError("IncompleteSignature", 400, `The request signature does not conform to Aliyun standards. ${why}`),
  signatureMismatch: (serverStringToSign: string) =>
    new EcsError(
      "SignatureDoesNotMatch",
      400,
      `Specified signature is not matched with our calculation. server string to sign is:${serverStringToSign}`,
    ),
  accessKeyNotFound: () => new EcsError("InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."),
  accessKeyDisabled: () => new EcsError("Forbidden.AccessKeyDisabled", 403, "The Access Key is disabled."),
  timestampMalformed: () =>
    new EcsError("InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted."),
  timestampExpired: () => new EcsError("InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired."),
  nonceUsed: () => new EcsError("SignatureNonceUsed", 400, "Specified signature nonce was used already."),
  securityTokenMissing: () =>
    new EcsError("MissingSecurityToken", 400, "SecurityToken is mandatory for this AccessKeyId (STS credentials)."),
  securityTokenMismatch: () =>
    new EcsError("InvalidSecurityToken.Mismatch", 400, "Specified SecurityToken mismatch with the AccessKey."),
  ramDenied: () =>
    new EcsError(
      "Forbidden.RAM",
      403,
      "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    ),
  internalError: () =>
    new EcsError("InternalError", 500, "The request processing has failed due to some unknown error, exception or failure."),
  requestTimeout: () => new EcsError("RequestTimeout", 504, "The request encounters an upstream server timeout."),
  serviceUnavailable: () =>
    new EcsError("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."),
  throttled: (code: string) => new EcsError(code, 400, THROTTLING_MESSAGES[code] ?? THROTTLING_MESSAGES.Throttling!),
};

/** Also the list of codes a throttling fault rule may name. */
export const THROTTLING_MESSAGES: Readonly<Record<string, string>> = {
  Throttling: "Request was denied due to request throttling.",
  "Throttling.User": "Request was denied due to user flow control.",
  "Throttling.Api": "Request was denied due to api flow control.",
};
