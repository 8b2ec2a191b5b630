/**
 * Turns a failed ECS call into the message a user reads: what we tried, ECS's code, message and RequestId, and what
 * to do about it.
 */
import { EcsApiError, MembershipError } from "./errors";
import { Target, describeTarget } from "./inputs";
import { GaveUpError, seconds } from "./retry";

export interface OperationContext {
  target: Target;
  securityGroupId: string;
  timeoutSeconds: number;
}

const CREDENTIAL_CODES: readonly string[] = [
  "InvalidAccessKeyId.NotFound",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "Forbidden.AccessKeyDisabled",
  "InvalidSecurityToken.Expired",
  "InvalidSecurityToken.Malformed",
  "InvalidSecurityToken.MismatchWithAccessKey",
];

export const ADOPT_HINT =
  "To manage this existing membership with Pulumi, set `adoptExisting: true` on the SecurityGroupMembership; " +
  "or remove the resource from the program if something else manages the membership.";

export function lastGroupHint(ctx: OperationContext): string {
  const subject = describeTarget(ctx.target);
  return (
    `The ${subject} is only in security group ${ctx.securityGroupId}, and ECS requires every instance and network ` +
    `interface to keep at least one security group, so it cannot leave it. Add the ${ctx.target.kind === "instance" ? "instance" : "network interface"} ` +
    "to another security group first (for example another SecurityGroupMembership), or set the resource option " +
    "`retainOnDelete: true` so Pulumi forgets this membership and leaves the target in the group."
  );
}

function guidanceFor(action: string, code: string, ctx: OperationContext): string {
  const where = `region ${ctx.target.regionId}`;
  switch (code) {
    case "InvalidInstanceId.NotFound":
    case "InvalidEniId.NotFound":
      return `Check that ${describeTarget(ctx.target)} exists in ${where} of this account.`;
    case "InvalidSecurityGroupId.NotFound":
      return `Check that security group ${ctx.securityGroupId} exists in ${where} of this account.`;
    case "InstanceLastSecurityGroup":
      return lastGroupHint(ctx);
    case "IncorrectInstanceStatus":
    case "InvalidOperation.InvalidEniState":
      return `Security groups can only change while the target is Running or Stopped. Wait for it to settle and run again, or raise operationTimeoutSeconds (now ${ctx.timeoutSeconds}s).`;
    case "InstanceLockedForSecurity":
      return "Alibaba Cloud has locked the instance for security reasons; its security groups cannot change until the lock is lifted (see the ECS console or open a support ticket). Not retried.";
    case "InvalidInstanceId.AlreadyExists":
      return `${describeTarget(ctx.target)} is already in security group ${ctx.securityGroupId}. ${ADOPT_HINT}`;
    case "InvalidInstanceId.Mismatch":
    case "InvalidOperation.VpcMismatch":
      return "The security group must be in the same VPC as the target.";
    case "InstanceSecurityGroupLimitExceeded":
      return "The target is already in as many security groups as its quota allows (5 by default): remove one first, or ask Alibaba Cloud for a higher quota.";
    case "InvalidOperation.MultiGroupType":
      return "A target cannot be in basic and advanced (enterprise) security groups at the same time.";
    case "Forbidden.RAM":
      return `The access key is not allowed to call ${action}: grant ecs:${action} and ecs:DescribeInstances / ecs:DescribeNetworkInterfaces to the RAM user or role.`;
    case "InvalidRegionId.NotFound":
      return `Check the regionId (${ctx.target.regionId}).`;
    case "Forbidden.InstanceIsBeingCreated":
      return "The instance is still being created; run again once it exists.";
    case "InvalidOperation.Conflict":
    case "OperationConflict":
      return "Another operation kept the target busy; run again later.";
    default:
      if (CREDENTIAL_CODES.includes(code)) {
        return "Check the credentials: stack config alicloud:accessKey / alicloud:secretKey / alicloud:securityToken, or ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET / ALIBABA_CLOUD_SECURITY_TOKEN.";
      }
      return "";
  }
}

/** The user-facing error for a failed call; MembershipErrors pass through unchanged. */
export function explain(action: string, err: unknown, ctx: OperationContext): Error {
  if (err instanceof MembershipError) return err;
  const gaveUp = err instanceof GaveUpError ? err : undefined;
  const cause = gaveUp ? gaveUp.lastError : err;
  if (!(cause instanceof EcsApiError)) return err instanceof Error ? err : new Error(String(err));
  const subject = `${action} for ${describeTarget(ctx.target)} and security group ${ctx.securityGroupId} failed`;
  const retried = gaveUp
    ? ` Still failing after ${gaveUp.attempts} attempts over ${seconds(gaveUp.elapsedMs)} (operationTimeoutSeconds: ${ctx.timeoutSeconds}).`
    : "";
  const hint = guidanceFor(cause.action, cause.code, ctx);
  const requestId = cause.requestId ? ` (RequestId: ${cause.requestId})` : "";
  return new MembershipError(
    `${subject}: ${cause.code}: ${cause.ecsMessage}${requestId}.${retried}${hint ? ` ${hint}` : ""}`,
    cause.code,
    cause.requestId,
  );
}
