import { EcsError } from "./errors";
import type { NotMemberErrorCode } from "./types";

/** An entry of the catalogue: raises its error, and names its code and status, so the list of codes comes from here. */
export type ErrorEntry<A extends unknown[]> = ((...args: A) => EcsError) & { readonly code: string; readonly httpStatus: number };

function entry<A extends unknown[]>(code: string, httpStatus: number, message: (...args: A) => string): ErrorEntry<A> {
  return Object.assign((...args: A) => new EcsError(code, httpStatus, message(...args)), { code, httpStatus });
}

/**
 * Every error the emulator answers with, the world's and the API gateway's, in one place so codes, statuses and messages
 * stay consistent. Messages of LeaveSecurityGroup's table are verbatim from the spec; the others follow ECS's published
 * wording. Nothing else constructs an EcsError.
 */
export const ecsErrors = {
  // The gateway's: common to every action, checked before the action runs.
  missingParameter: entry(
    "MissingParameter",
    400,
    (name: string) => `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  ),
  invalidVersion: entry("InvalidVersion", 400, () => "Specified parameter Version is not valid."),
  actionNotFound: entry("InvalidAction.NotFound", 404, () => "Specified api is not found, please check your url and method."),
  incompleteSignature: entry("IncompleteSignature", 400, (why: string) => `The request signature does not conform to Aliyun standards. ${why}`),
  signatureMismatch: entry(
    "SignatureDoesNotMatch",
    400,
    (serverStringToSign: string) => `Specified signature is not matched with our calculation. server string to sign is:${serverStringToSign}`,
  ),
  accessKeyNotFound: entry("InvalidAccessKeyId.NotFound", 404, () => "Specified access key is not found."),
  accessKeyDisabled: entry("Forbidden.AccessKeyDisabled", 403, () => "The Access Key is disabled."),
  timestampMalformed: entry("InvalidTimeStamp.Format", 400, () => "Specified time stamp or date value is not well formatted."),
  timestampExpired: entry("InvalidTimeStamp.Expired", 400, () => "Specified time stamp or date value is expired."),
  nonceUsed: entry("SignatureNonceUsed", 400, () => "Specified signature nonce was used already."),
  securityTokenMissing: entry("MissingSecurityToken", 400, () => "SecurityToken is mandatory for this AccessKeyId (STS credentials)."),
  securityTokenMismatch: entry("InvalidSecurityToken.Mismatch", 400, () => "Specified SecurityToken mismatch with the AccessKey."),
  ramDenied: entry("Forbidden.RAM", 403, () => "User not authorized to operate on the specified resource, or this API doesn't support RAM."),
  throttling: entry("Throttling", 400, () => "Request was denied due to request throttling."),
  throttlingUser: entry("Throttling.User", 400, () => "Request was denied due to user flow control."),
  throttlingApi: entry("Throttling.Api", 400, () => "Request was denied due to api flow control."),
  internalError: entry("InternalError", 500, () => "The request processing has failed due to some unknown error, exception or failure."),
  requestTimeout: entry("RequestTimeout", 504, () => "The request encounters an upstream server timeout."),
  serviceUnavailable: entry("ServiceUnavailable", 503, () => "The request has failed due to a temporary failure of the server."),

  // Requests the gateway cannot read: InvalidParameter, with the HTTP status that says why.
  methodNotAllowed: entry("InvalidParameter", 405, (method: string) => `The HTTP method ${method} is not supported; use GET or POST.`),
  unsupportedContentType: entry(
    "InvalidParameter",
    415,
    (contentType: string) => `The Content-Type "${contentType}" is not supported; send application/x-www-form-urlencoded.`,
  ),
  bodyTooLarge: entry("InvalidParameter", 413, () => "The request body exceeds the limit of 1 MiB."),
  bodyNotUtf8: entry("InvalidParameter", 400, () => "The request body is not valid UTF-8."),
  malformedPercentEncoding: entry("InvalidParameter", 400, (excerpt: string) => `The request contains a malformed percent-encoding: "${excerpt}".`),
  emptyParameterName: entry("InvalidParameter", 400, () => "The request contains a parameter with an empty name."),
  duplicateParameter: entry("InvalidParameter", 400, (name: string) => `The parameter "${name}" is specified more than once.`),
  malformedHttpRequest: entry("InvalidParameter", 400, () => "The HTTP request is malformed."),
  crossOrigin: entry(
    "InvalidParameter",
    403,
    (origin: string) => `The request is not valid: cross-origin requests are refused, and Origin ${origin} is not this emulator's.`,
  ),

  // The world's: the rules of the actions.
  missingRegionId: entry(
    "MissingParameter.RegionId",
    400,
    () => `The input parameter "RegionId" that is mandatory for processing this request is not supplied.`,
  ),
  invalidParameter: entry(
    "InvalidParameter",
    400,
    (name: string, why?: string) => `The specified parameter "${name}" is not valid.${why ? ` ${why}` : ""}`,
  ),
  instanceMalformed: entry("InvalidInstanceId.Malformed", 400, () => `The specified parameter "InstanceId" is not valid.`),
  instanceNameMalformed: entry(
    "InvalidInstanceName.Malformed",
    400,
    () => `The specified parameter "InstanceName" is not valid. It must be 2 to 128 characters without control characters.`,
  ),
  securityGroupMalformed: entry("InvalidSecurityGroupId.Malformed", 400, () => `The specified parameter "SecurityGroupId" is not valid.`),
  eniMalformed: entry("InvalidEniId.Malformed", 400, () => `The specified parameter "NetworkInterfaceId" is not valid.`),
  vpcMalformed: entry("InvalidVpcId.Malformed", 400, () => `The specified parameter "VpcId" is not valid.`),
  instanceNotFound: entry("InvalidInstanceId.NotFound", 404, () => "The specified InstanceId does not exist."),
  securityGroupNotFound: entry("InvalidSecurityGroupId.NotFound", 404, () => "The specified SecurityGroupId does not exist."),
  eniNotFound: entry("InvalidEniId.NotFound", 404, () => "The specified NetworkInterfaceId does not exist."),
  vpcNotFound: entry("InvalidVpcId.NotFound", 404, () => "The specified VpcId does not exist."),
  lastSecurityGroup: entry("InstanceLastSecurityGroup", 403, () => "The specified security group is the last security group for the instance."),
  incorrectStatus: entry("IncorrectInstanceStatus", 403, () => "The current status of the resource does not support this operation."),
  lockedForSecurity: entry(
    "InstanceLockedForSecurity",
    403,
    () => "The specified operation is denied as your instance is locked for security reasons.",
  ),
  notInSecurityGroup: entry("InstanceNotInSecurityGroup", 403, () => "The instance not in the group."),
  associationNotFound: entry("InvalidSecurityGroupAssociation.NotFound", 400, () => "The specified security group association does not exist."),
  alreadyMember: entry("InvalidInstanceId.AlreadyExists", 403, () => "The specified instance already exists in the specified security group."),
  groupLimitExceeded: entry(
    "InstanceSecurityGroupLimitExceeded",
    400,
    () => "Exceeding the allowed amount of security groups that an instance can be in.",
  ),
  instanceVpcMismatch: entry("InvalidInstanceId.Mismatch", 400, () => "Specified instance and security group are not in the same VPC."),
  eniVpcMismatch: entry("InvalidOperation.VpcMismatch", 403, () => "The specified security group and network interface are not in the same VPC."),
  multiGroupType: entry("InvalidOperation.MultiGroupType", 400, () => "The specified instance can't join multi SecurityGroup types."),
  bothTargets: entry(
    "InvalidParam.EniIdAndInstanceId.Conflict",
    403,
    () => "The parameters NetworkInterfaceId and InstanceId cannot be specified at the same time.",
  ),
  beingCreated: entry("Forbidden.InstanceIsBeingCreated", 403, () => "The specified instance is being created."),
  conflict: entry("InvalidOperation.Conflict", 409, () => "Request was denied due to conflict with a previous request, please try again later."),
  dependencyViolation: entry("DependencyViolation", 403, () => "There is still instance(s) in the specified security group."),
};

/** What LeaveSecurityGroup answers for a group the target is not in, by settings.notMemberErrorCode. */
export const NOT_MEMBER_ERRORS: Readonly<Record<NotMemberErrorCode, ErrorEntry<[]>>> = {
  InstanceNotInSecurityGroup: ecsErrors.notInSecurityGroup,
  "InvalidSecurityGroupAssociation.NotFound": ecsErrors.associationNotFound,
};

/** The throttling errors by code; also the codes a throttling fault rule may name. */
export const THROTTLING_ERRORS: Readonly<Record<string, ErrorEntry<[]>>> = Object.fromEntries(
  [ecsErrors.throttling, ecsErrors.throttlingUser, ecsErrors.throttlingApi].map((error) => [error.code, error]),
);

/** Every ECS error code the emulator can answer with, sorted, each once: for tests that check a client classifies each. */
export const ECS_ERROR_CODES: readonly string[] = [...new Set(Object.values(ecsErrors).map((error) => error.code))].sort();
