import { baseSeed, call, ecsErrorOf, eniGroupsOf, groupsOf, newWorld, REGION } from "./world-fixture";

const join = "JoinSecurityGroup";
const leave = "LeaveSecurityGroup";

describe("JoinSecurityGroup and LeaveSecurityGroup on an instance", () => {
  test("join adds the group to the primary list and leave removes it", () => {
    const { world } = newWorld();
    expect(call(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a2" })).toEqual({});
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1", "sg-a2"]);
    expect(call(world, leave, { InstanceId: "i-run", SecurityGroupId: "sg-a1" })).toEqual({});
    expect(groupsOf(world, "i-run")).toEqual(["sg-a2"]);
  });

  test("a Stopped instance can join and leave; RegionId is optional but must match when given", () => {
    const { world } = newWorld();
    call(world, join, { InstanceId: "i-stop", SecurityGroupId: "sg-a2", RegionId: REGION });
    call(world, leave, { InstanceId: "i-stop", SecurityGroupId: "sg-a1" });
    expect(groupsOf(world, "i-stop")).toEqual(["sg-a2"]);
    expect(ecsErrorOf(world, join, { InstanceId: "i-stop", SecurityGroupId: "sg-a3", RegionId: "cn-beijing" }).code).toBe(
      "InvalidInstanceId.NotFound",
    );
  });

  const errorRows: [string, string, string, number, string, Record<string, string>][] = [
    [
      leave,
      "unknown instance",
      "InvalidInstanceId.NotFound",
      404,
      "The specified InstanceId does not exist.",
      { InstanceId: "i-nope", SecurityGroupId: "sg-a1" },
    ],
    [
      leave,
      "unknown group",
      "InvalidSecurityGroupId.NotFound",
      404,
      "The specified SecurityGroupId does not exist.",
      { InstanceId: "i-run", SecurityGroupId: "sg-nope" },
    ],
    [
      leave,
      "group of another region",
      "InvalidSecurityGroupId.NotFound",
      404,
      "The specified SecurityGroupId does not exist.",
      { InstanceId: "i-run", SecurityGroupId: "sg-x1" },
    ],
    [
      leave,
      "the last group",
      "InstanceLastSecurityGroup",
      403,
      "The specified security group is the last security group for the instance.",
      { InstanceId: "i-run", SecurityGroupId: "sg-a1" },
    ],
    [
      leave,
      "a Pending instance",
      "IncorrectInstanceStatus",
      403,
      "The current status of the resource does not support this operation.",
      { InstanceId: "i-pend", SecurityGroupId: "sg-a1" },
    ],
    [
      leave,
      "a locked instance",
      "InstanceLockedForSecurity",
      403,
      "The specified operation is denied as your instance is locked for security reasons.",
      { InstanceId: "i-locked", SecurityGroupId: "sg-a1" },
    ],
    [
      leave,
      "a group it is not in",
      "InstanceNotInSecurityGroup",
      403,
      "The instance not in the group.",
      { InstanceId: "i-run", SecurityGroupId: "sg-a2" },
    ],
    [
      leave,
      "a malformed instance ID",
      "InvalidInstanceId.Malformed",
      400,
      'The specified parameter "InstanceId" is not valid.',
      { InstanceId: "web-1", SecurityGroupId: "sg-a1" },
    ],
    [
      leave,
      "an upper-case instance ID",
      "InvalidInstanceId.Malformed",
      400,
      'The specified parameter "InstanceId" is not valid.',
      { InstanceId: "i-RUN", SecurityGroupId: "sg-a1" },
    ],
    [
      leave,
      "a malformed group ID",
      "InvalidSecurityGroupId.Malformed",
      400,
      'The specified parameter "SecurityGroupId" is not valid.',
      { InstanceId: "i-run", SecurityGroupId: "group-1" },
    ],
    [
      leave,
      "no SecurityGroupId",
      "MissingParameter",
      400,
      'The input parameter "SecurityGroupId" that is mandatory for processing this request is not supplied.',
      { InstanceId: "i-run" },
    ],
    [
      leave,
      "no target",
      "MissingParameter",
      400,
      'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.',
      { SecurityGroupId: "sg-a1" },
    ],
    [
      join,
      "an empty InstanceId",
      "MissingParameter",
      400,
      'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.',
      { InstanceId: "", SecurityGroupId: "sg-a1" },
    ],
    [
      join,
      "both targets",
      "InvalidParam.EniIdAndInstanceId.Conflict",
      403,
      "The parameters NetworkInterfaceId and InstanceId cannot be specified at the same time.",
      { InstanceId: "i-run", NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" },
    ],
    [
      join,
      "a group it is already in",
      "InvalidInstanceId.AlreadyExists",
      403,
      "The specified instance already exists in the specified security group.",
      { InstanceId: "i-run", SecurityGroupId: "sg-a1" },
    ],
    [
      join,
      "a group of another VPC",
      "InvalidInstanceId.Mismatch",
      400,
      "Specified instance and security group are not in the same VPC.",
      { InstanceId: "i-run", SecurityGroupId: "sg-b1" },
    ],
    [
      join,
      "an enterprise group next to a normal one",
      "InvalidOperation.MultiGroupType",
      400,
      "The specified instance can't join multi SecurityGroup types.",
      { InstanceId: "i-run", SecurityGroupId: "sg-ae" },
    ],
    [
      join,
      "a Pending instance",
      "Forbidden.InstanceIsBeingCreated",
      403,
      "The specified instance is being created.",
      { InstanceId: "i-pend", SecurityGroupId: "sg-a2" },
    ],
    [
      join,
      "a locked instance",
      "InstanceLockedForSecurity",
      403,
      "The specified operation is denied as your instance is locked for security reasons.",
      { InstanceId: "i-locked", SecurityGroupId: "sg-a2" },
    ],
  ];
  test.each(errorRows)("%s with %s fails with %s", (action, _case, code, httpStatus, message, params) => {
    const { world } = newWorld();
    const before = world.snapshot();
    expect(ecsErrorOf(world, action, params)).toMatchObject({ code, httpStatus, message });
    expect(world.snapshot()).toEqual(before);
  });

  test("Starting and Stopping instances refuse both operations with IncorrectInstanceStatus", () => {
    const { world } = newWorld();
    call(world, "StartInstance", { InstanceId: "i-stop" });
    call(world, "StopInstance", { InstanceId: "i-run" });
    for (const action of [join, leave]) {
      for (const instanceId of ["i-stop", "i-run"]) {
        expect(ecsErrorOf(world, action, { InstanceId: instanceId, SecurityGroupId: "sg-a1" }).code).toBe("IncorrectInstanceStatus");
      }
    }
  });

  test("the group limit counts the target's groups and follows the setting", () => {
    const seed = baseSeed();
    seed.settings = { maxSecurityGroupsPerTarget: 2 };
    const { world } = newWorld(seed);
    call(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    expect(ecsErrorOf(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a3" })).toMatchObject({
      code: "InstanceSecurityGroupLimitExceeded",
      httpStatus: 400,
    });
    world.applyPatch({ settings: { maxSecurityGroupsPerTarget: 3 } });
    call(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a3" });
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1", "sg-a2", "sg-a3"]);
  });

  test("the default limit is five groups", () => {
    const seed = baseSeed();
    for (const n of [4, 5, 6, 7]) seed.securityGroups.push({ securityGroupId: `sg-a${n}`, regionId: REGION, vpcId: "vpc-a", securityGroupName: "x" });
    const { world } = newWorld(seed);
    for (const n of [2, 3, 4, 5]) call(world, join, { InstanceId: "i-run", SecurityGroupId: `sg-a${n}` });
    expect(ecsErrorOf(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a6" }).code).toBe("InstanceSecurityGroupLimitExceeded");
  });

  test("an instance of enterprise groups may join another enterprise group but not a normal one", () => {
    const seed = baseSeed();
    seed.securityGroups.push({
      securityGroupId: "sg-ae2",
      regionId: REGION,
      vpcId: "vpc-a",
      securityGroupName: "e2",
      securityGroupType: "enterprise",
    });
    seed.instances[0].securityGroupIds = ["sg-ae"];
    const { world } = newWorld(seed);
    call(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-ae2" });
    expect(ecsErrorOf(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a1" }).code).toBe("InvalidOperation.MultiGroupType");
  });

  test("notMemberErrorCode switches leave's not-a-member error to ECS's newer code", () => {
    const seed = baseSeed();
    seed.settings = { notMemberErrorCode: "InvalidSecurityGroupAssociation.NotFound" };
    const { world } = newWorld(seed);
    expect(ecsErrorOf(world, leave, { InstanceId: "i-run", SecurityGroupId: "sg-a2" })).toMatchObject({
      code: "InvalidSecurityGroupAssociation.NotFound",
      httpStatus: 400,
    });
  });

  test("a lock shows in OperationLocks and goes away when patched off", () => {
    const { world } = newWorld();
    expect(call(world, "DescribeInstanceAttribute", { InstanceId: "i-locked" })).toMatchObject({
      OperationLocks: { LockReason: [{ LockReason: "security" }] },
    });
    world.applyPatch({ upsert: { instances: [{ instanceId: "i-locked", locked: false }] } });
    expect(call(world, "DescribeInstanceAttribute", { InstanceId: "i-locked" })).toMatchObject({ OperationLocks: { LockReason: [] } });
    call(world, join, { InstanceId: "i-locked", SecurityGroupId: "sg-a2" });
  });
});

describe("JoinSecurityGroup and LeaveSecurityGroup on an ENI", () => {
  test("a secondary ENI's list is its own: the instance's list does not change", () => {
    const { world } = newWorld();
    call(world, join, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" });
    expect(eniGroupsOf(world, "eni-sec")).toEqual(["sg-a2", "sg-a3"]);
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1"]);
    call(world, leave, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a2" });
    expect(eniGroupsOf(world, "eni-sec")).toEqual(["sg-a3"]);
    expect(ecsErrorOf(world, leave, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" }).code).toBe(
      "InstanceLastSecurityGroup",
    );
  });

  test("the primary ENI shares the instance's list", () => {
    const { world } = newWorld();
    call(world, join, { NetworkInterfaceId: "eni-prim", RegionId: REGION, SecurityGroupId: "sg-a2" });
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1", "sg-a2"]);
    expect(eniGroupsOf(world, "eni-prim")).toEqual(["sg-a1", "sg-a2"]);
  });

  test("an unattached ENI can join and leave", () => {
    const { world } = newWorld();
    call(world, join, { NetworkInterfaceId: "eni-free", RegionId: REGION, SecurityGroupId: "sg-a2" });
    expect(eniGroupsOf(world, "eni-free")).toEqual(["sg-a1", "sg-a2"]);
  });

  const errorRows: [string, string, number, Record<string, string>][] = [
    ["no RegionId", "MissingParameter.RegionId", 400, { NetworkInterfaceId: "eni-sec", SecurityGroupId: "sg-a3" }],
    ["an unknown ENI", "InvalidEniId.NotFound", 404, { NetworkInterfaceId: "eni-nope", RegionId: REGION, SecurityGroupId: "sg-a3" }],
    ["an ENI of another region", "InvalidEniId.NotFound", 404, { NetworkInterfaceId: "eni-sec", RegionId: "cn-beijing", SecurityGroupId: "sg-x1" }],
    ["a malformed ENI ID", "InvalidEniId.Malformed", 400, { NetworkInterfaceId: "ENI_1", RegionId: REGION, SecurityGroupId: "sg-a3" }],
    ["a group of another VPC", "InvalidOperation.VpcMismatch", 403, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-b1" }],
    [
      "a group it is already in",
      "InvalidInstanceId.AlreadyExists",
      403,
      { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a2" },
    ],
  ];
  test.each(errorRows)("join with %s fails with %s", (_case, code, httpStatus, params) => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, join, params)).toMatchObject({ code, httpStatus });
  });

  test("the ENI of a locked instance refuses", () => {
    const seed = baseSeed();
    seed.networkInterfaces[0].instanceId = "i-locked";
    const { world } = newWorld(seed);
    expect(ecsErrorOf(world, join, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" }).code).toBe(
      "InstanceLockedForSecurity",
    );
  });

  test("a secondary ENI can change while its instance is Stopping; the primary ENI cannot", () => {
    const { world } = newWorld();
    call(world, "StopInstance", { InstanceId: "i-run" });
    call(world, join, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" });
    expect(eniGroupsOf(world, "eni-sec")).toEqual(["sg-a2", "sg-a3"]);
    expect(ecsErrorOf(world, join, { NetworkInterfaceId: "eni-prim", RegionId: REGION, SecurityGroupId: "sg-a3" }).code).toBe(
      "IncorrectInstanceStatus",
    );
  });

  test("the group limit applies to an ENI's own list", () => {
    const seed = baseSeed();
    seed.settings = { maxSecurityGroupsPerTarget: 1 };
    const { world } = newWorld(seed);
    expect(ecsErrorOf(world, join, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" }).code).toBe(
      "InstanceSecurityGroupLimitExceeded",
    );
  });
});

describe("the conflict window", () => {
  const seedWithWindow = (conflictWindowMs: number) => {
    const seed = baseSeed();
    seed.settings = { conflictWindowMs };
    return newWorld(seed);
  };

  test("a second change on the same target within the window gets InvalidOperation.Conflict, and succeeds after it", () => {
    const { world, clock } = seedWithWindow(500);
    call(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    clock.advance(499);
    expect(ecsErrorOf(world, leave, { InstanceId: "i-run", SecurityGroupId: "sg-a2" })).toMatchObject({
      code: "InvalidOperation.Conflict",
      httpStatus: 409,
      message: "Request was denied due to conflict with a previous request, please try again later.",
    });
    clock.advance(1);
    call(world, leave, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1"]);
  });

  test("other targets are not affected, and the primary ENI shares its instance's window", () => {
    const { world } = seedWithWindow(500);
    call(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    call(world, join, { InstanceId: "i-stop", SecurityGroupId: "sg-a2" });
    call(world, join, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" });
    expect(ecsErrorOf(world, join, { NetworkInterfaceId: "eni-prim", RegionId: REGION, SecurityGroupId: "sg-a3" }).code).toBe(
      "InvalidOperation.Conflict",
    );
  });

  test("a failed call does not open a window; with the window off, calls never conflict", () => {
    const { world } = seedWithWindow(500);
    ecsErrorOf(world, leave, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    call(world, join, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    const off = newWorld().world;
    call(off, join, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    call(off, leave, { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    expect(groupsOf(off, "i-run")).toEqual(["sg-a1"]);
  });
});
