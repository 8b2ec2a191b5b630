import { EcsError } from "./errors";
import type { NotMemberErrorCode } from "./types";

/**
 * Every ECS error the world raises, in one place so codes, statuses and messages stay consistent.
 * Messages of LeaveSecurityGroup's table are verbatim from the spec; the others follow ECS's published wording.
 */
export const ecsErrors = {
  missingParameter: (name: string) =>
    new EcsError("MissingParameter", 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  missingRegionId: () =>
    new EcsError("MissingParameter.RegionId", 400, `The input parameter "RegionId" that is mandatory for processing this request is not supplied.`),
  invalidParameter: (name: string, why?: string) =>
    new EcsError("InvalidParameter", 400, `The specified parameter "${name}" is not valid.${why ? ` ${why}` : ""}`),
  instanceMalformed: () => new EcsError("InvalidInstanceId.Malformed", 400, `The specified parameter "InstanceId" is not valid.`),
  securityGroupMalformed: () =>
    new EcsError("InvalidSecurityGroupId.Malformed", 400, `The specified parameter "SecurityGroupId" is not valid.`),
  eniMalformed: () => new EcsError("InvalidEniId.Malformed", 400, `The specified parameter "NetworkInterfaceId" is not valid.`),
  instanceNameMalformed: () =>
    new EcsError("InvalidInstanceName.Malformed", 400, `The specified parameter "InstanceName" is not valid. It must be 2 to 128 characters without control characters.`),
  vpcMalformed: () => new EcsError("InvalidVpcId.Malformed", 400, `The specified parameter "VpcId" is not valid.`),
  instanceNotFound: () => new EcsError("InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist."),
  securityGroupNotFound: () => new EcsError("InvalidSecurityGroupId.NotFound", 404, "The specified SecurityGroupId does not exist."),
  eniNotFound: () => new EcsError("InvalidEniId.NotFound", 404, "The specified NetworkInterfaceId does not exist."),
  vpcNotFound: () => new EcsError("InvalidVpcId.NotFound", 404, "The specified VpcId does not exist."),
  regionNotFound: () => new EcsError("InvalidRegionId.NotFound", 404, "The specified RegionId does not exist."),
  lastSecurityGroup: () =>
    new EcsError("InstanceLastSecurityGroup", 403, "The specified security group is the last security group for the instance."),
  incorrectStatus: () =>
    new EcsError("IncorrectInstanceStatus", 403, "The current status of the resource does not support this operation."),
  lockedForSecurity: () =>
    new EcsError("InstanceLockedForSecurity", 403, "The specified operation is denied as your instance is locked for security reasons."),
  notMember: (code: NotMemberErrorCode) =>
    code === "InstanceNotInSecurityGroup"
      ? new EcsError("InstanceNotInSecurityGroup", 403, "The instance not in the group.")
      : new EcsError("InvalidSecurityGroupAssociation.NotFound", 400, "The specified security group association does not exist."),
  alreadyMember: () =>
    new EcsError("InvalidInstanceId.AlreadyExists", 403, "The specified instance already exists in the specified security group."),
  groupLimitExceeded: () =>
    new EcsError("InstanceSecurityGroupLimitExceeded", 400, "Exceeding the allowed amount of security groups that an instance can be in."),
  instanceVpcMismatch: () =>
    new EcsError("InvalidInstanceId.Mismatch", 400, "Specified instance and security group are not in the same VPC."),
  eniVpcMismatch: () =>
    new EcsError("InvalidOperation.VpcMismatch", 403, "The specified security group and network interface are not in the same VPC."),
  multiGroupType: () =>
    new EcsError("InvalidOperation.MultiGroupType", 400, "The specified instance can't join multi SecurityGroup types."),
  bothTargets: () =>
    new EcsError("InvalidParam.EniIdAndInstanceId.Conflict", 403, "The parameters NetworkInterfaceId and InstanceId cannot be specified at the same time."),
  beingCreated: () => new EcsError("Forbidden.InstanceIsBeingCreated", 403, "The specified instance is being created."),
  conflict: () =>
    new EcsError("InvalidOperation.Conflict", 409, "Request was denied due to conflict with a previous request, please try again later."),
  dependencyViolation: () =>
    new EcsError("DependencyViolation", 403, "There is still instance(s) in the specified security group."),
};
