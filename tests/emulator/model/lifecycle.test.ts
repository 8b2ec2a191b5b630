import { DEFAULT_SETTINGS } from "../../../emulator/models";
import { baseSeed, call, ecsErrorOf, groupsOf, newWorld, REGION, statusOf } from "./world-fixture";

describe("status transitions are lazy, by clock time", () => {
  test("StartInstance: Stopped → Starting → Running after startingToRunning", () => {
    const { world, clock } = newWorld();
    expect(call(world, "StartInstance", { InstanceId: "i-stop" })).toEqual({});
    expect(statusOf(world, "i-stop")).toBe("Starting");
    clock.advance(DEFAULT_SETTINGS.statusDelaysMs.startingToRunning - 1);
    expect(statusOf(world, "i-stop")).toBe("Starting");
    clock.advance(1);
    expect(statusOf(world, "i-stop")).toBe("Running");
  });

  test("StopInstance: Running → Stopping → Stopped after stoppingToStopped", () => {
    const { world, clock } = newWorld();
    call(world, "StopInstance", { InstanceId: "i-run" });
    expect(statusOf(world, "i-run")).toBe("Stopping");
    clock.advance(DEFAULT_SETTINGS.statusDelaysMs.stoppingToStopped);
    expect(statusOf(world, "i-run")).toBe("Stopped");
  });

  test("a seeded Pending instance without an end time becomes Running after pendingToRunning from load", () => {
    const seed = baseSeed();
    seed.instances[2].transitionEndsAt = undefined;
    seed.settings = { statusDelaysMs: { pendingToRunning: 5000 } };
    const { world, clock } = newWorld(seed);
    clock.advance(4999);
    expect(statusOf(world, "i-pend")).toBe("Pending");
    clock.advance(1);
    expect(statusOf(world, "i-pend")).toBe("Running");
  });

  test("a held transition (transitionEndsAt null) stays until patched", () => {
    const { world, clock } = newWorld();
    clock.advance(10 * 60_000);
    expect(statusOf(world, "i-pend")).toBe("Pending");
    world.applyPatch({ upsert: { instances: [{ instanceId: "i-pend", status: "Running" }] } });
    expect(statusOf(world, "i-pend")).toBe("Running");
  });

  test("a patched transitional status settles after the configured delay", () => {
    const { world, clock } = newWorld();
    world.applyPatch({
      settings: { statusDelaysMs: { stoppingToStopped: 300 } },
      upsert: { instances: [{ instanceId: "i-run", status: "Stopping" }] },
    });
    expect(statusOf(world, "i-run")).toBe("Stopping");
    clock.advance(300);
    expect(statusOf(world, "i-run")).toBe("Stopped");
  });

  test("DescribeInstances and the Status filter see settled statuses", () => {
    const { world, clock } = newWorld();
    call(world, "StopInstance", { InstanceId: "i-run" });
    const stopped = () =>
      (
        call(world, "DescribeInstances", { RegionId: REGION, Status: "Stopped" }) as { Instances: { Instance: { InstanceId: string }[] } }
      ).Instances.Instance.map((i) => i.InstanceId);
    expect(stopped()).toEqual(["i-stop"]);
    clock.advance(DEFAULT_SETTINGS.statusDelaysMs.stoppingToStopped);
    expect(stopped()).toEqual(["i-run", "i-stop"]);
  });

  test.each([
    ["StartInstance", "i-run"],
    ["StartInstance", "i-pend"],
    ["StopInstance", "i-stop"],
    ["StopInstance", "i-pend"],
  ])("%s on %s fails with IncorrectInstanceStatus", (action, instanceId) => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, action, { InstanceId: instanceId })).toMatchObject({ code: "IncorrectInstanceStatus", httpStatus: 403 });
  });

  test.each(["StartInstance", "StopInstance", "DeleteInstance", "ModifyInstanceAttribute"])("%s refuses a locked instance", (action) => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, action, { InstanceId: "i-locked", Force: "true" }).code).toBe("InstanceLockedForSecurity");
  });

  test.each(["StartInstance", "StopInstance", "DeleteInstance", "DescribeInstanceAttribute"])(
    "%s: unknown, malformed and missing InstanceId",
    (action) => {
      const { world } = newWorld();
      expect(ecsErrorOf(world, action, { InstanceId: "i-nope" }).code).toBe("InvalidInstanceId.NotFound");
      expect(ecsErrorOf(world, action, { InstanceId: "x" }).code).toBe("InvalidInstanceId.Malformed");
      expect(ecsErrorOf(world, action, {}).code).toBe("MissingParameter");
    },
  );
});

describe("RunInstances", () => {
  test("creates Pending instances with fresh IDs and primary ENIs, which become Running after the delay", () => {
    const { world, clock } = newWorld();
    const result = call(world, "RunInstances", { RegionId: REGION, SecurityGroupId: "sg-a2", Amount: "2", InstanceName: "web" }) as {
      InstanceIdSets: { InstanceIdSet: string[] };
    };
    const ids = result.InstanceIdSets.InstanceIdSet;
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      expect(id).toMatch(/^i-[a-z0-9]+$/);
      expect(call(world, "DescribeInstanceAttribute", { InstanceId: id })).toMatchObject({
        Status: "Pending",
        InstanceName: "web",
        VpcAttributes: { VpcId: "vpc-a" },
        SecurityGroupIds: { SecurityGroupId: ["sg-a2"] },
      });
      expect(ecsErrorOf(world, "JoinSecurityGroup", { InstanceId: id, SecurityGroupId: "sg-a3" }).code).toBe("Forbidden.InstanceIsBeingCreated");
    }
    clock.advance(DEFAULT_SETTINGS.statusDelaysMs.pendingToRunning);
    for (const id of ids) expect(statusOf(world, id)).toBe("Running");
    call(world, "JoinSecurityGroup", { InstanceId: ids[0], SecurityGroupId: "sg-a3" });
  });

  test("SecurityGroupIds.N and VpcId; IDs are deterministic for the same seed", () => {
    const run = () => {
      const { world } = newWorld();
      return call(world, "RunInstances", { RegionId: REGION, VpcId: "vpc-a", "SecurityGroupIds.1": "sg-a2", "SecurityGroupIds.2": "sg-a3" }) as {
        InstanceIdSets: { InstanceIdSet: string[] };
      };
    };
    const first = run();
    expect(first).toEqual(run());
    const { world } = newWorld();
    const [id] = (call(world, "RunInstances", { RegionId: REGION, "SecurityGroupIds.2": "sg-a3", "SecurityGroupIds.1": "sg-a2" }) as typeof first)
      .InstanceIdSets.InstanceIdSet;
    expect(groupsOf(world, id)).toEqual(["sg-a2", "sg-a3"]);
  });

  test.each<[string, Record<string, string>, string]>([
    ["no RegionId", { SecurityGroupId: "sg-a1" }, "MissingParameter"],
    ["no group", { RegionId: REGION }, "MissingParameter"],
    ["both group parameters", { RegionId: REGION, SecurityGroupId: "sg-a1", "SecurityGroupIds.1": "sg-a2" }, "InvalidParameter"],
    ["an unknown group", { RegionId: REGION, SecurityGroupId: "sg-nope" }, "InvalidSecurityGroupId.NotFound"],
    ["a group of another VPC", { RegionId: REGION, VpcId: "vpc-b", SecurityGroupId: "sg-a1" }, "InvalidInstanceId.Mismatch"],
    ["an unknown VPC", { RegionId: REGION, VpcId: "vpc-nope", SecurityGroupId: "sg-a1" }, "InvalidVpcId.NotFound"],
    ["a malformed VPC", { RegionId: REGION, VpcId: "net-1", SecurityGroupId: "sg-a1" }, "InvalidVpcId.Malformed"],
    ["mixed group types", { RegionId: REGION, "SecurityGroupIds.1": "sg-a1", "SecurityGroupIds.2": "sg-ae" }, "InvalidOperation.MultiGroupType"],
    ["Amount 0", { RegionId: REGION, SecurityGroupId: "sg-a1", Amount: "0" }, "InvalidParameter"],
    ["Amount 101", { RegionId: REGION, SecurityGroupId: "sg-a1", Amount: "101" }, "InvalidParameter"],
  ])("with %s fails with %s", (_case, params, code) => {
    const { world } = newWorld();
    const before = world.snapshot();
    expect(ecsErrorOf(world, "RunInstances", params).code).toBe(code);
    expect(world.snapshot()).toEqual(before);
  });

  test("more groups than the limit fails with InstanceSecurityGroupLimitExceeded", () => {
    const seed = baseSeed();
    seed.settings = { maxSecurityGroupsPerTarget: 2 };
    const { world } = newWorld(seed);
    const params = { RegionId: REGION, "SecurityGroupIds.1": "sg-a1", "SecurityGroupIds.2": "sg-a2", "SecurityGroupIds.3": "sg-a3" };
    expect(ecsErrorOf(world, "RunInstances", params).code).toBe("InstanceSecurityGroupLimitExceeded");
  });
});

describe("DeleteInstance", () => {
  test("needs Stopped unless Force=true, and leaves its secondary ENIs detached", () => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "DeleteInstance", { InstanceId: "i-run" }).code).toBe("IncorrectInstanceStatus");
    expect(call(world, "DeleteInstance", { InstanceId: "i-run", Force: "true" })).toEqual({});
    expect(ecsErrorOf(world, "DescribeInstanceAttribute", { InstanceId: "i-run" }).code).toBe("InvalidInstanceId.NotFound");
    expect(call(world, "DescribeNetworkInterfaces", { RegionId: REGION, "NetworkInterfaceId.1": "eni-sec" })).toMatchObject({
      NetworkInterfaceSets: { NetworkInterfaceSet: [{ NetworkInterfaceId: "eni-sec", InstanceId: "", Status: "Available" }] },
    });
    expect(ecsErrorOf(world, "JoinSecurityGroup", { NetworkInterfaceId: "eni-prim", RegionId: REGION, SecurityGroupId: "sg-a2" }).code).toBe(
      "InvalidEniId.NotFound",
    );
    call(world, "DeleteInstance", { InstanceId: "i-stop" });
    expect(ecsErrorOf(world, "DeleteInstance", { InstanceId: "i-stop" }).code).toBe("InvalidInstanceId.NotFound");
  });

  test("Force must be true or false", () => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "DeleteInstance", { InstanceId: "i-stop", Force: "yes" }).code).toBe("InvalidParameter");
  });
});

describe("ModifyInstanceAttribute", () => {
  test("SecurityGroupIds.N replaces the whole primary list; InstanceName renames", () => {
    const { world } = newWorld();
    call(world, "ModifyInstanceAttribute", { InstanceId: "i-run", "SecurityGroupIds.1": "sg-a3", "SecurityGroupIds.2": "sg-a2", InstanceName: "db" });
    expect(call(world, "DescribeInstanceAttribute", { InstanceId: "i-run" })).toMatchObject({
      InstanceName: "db",
      SecurityGroupIds: { SecurityGroupId: ["sg-a3", "sg-a2"] },
    });
    expect(call(world, "DescribeNetworkInterfaces", { RegionId: REGION, "NetworkInterfaceId.1": "eni-sec" })).toMatchObject({
      NetworkInterfaceSets: { NetworkInterfaceSet: [{ SecurityGroupIds: { SecurityGroupId: ["sg-a2"] } }] },
    });
  });

  test.each<[string, Record<string, string>, string]>([
    ["a group of another VPC", { "SecurityGroupIds.1": "sg-b1" }, "InvalidInstanceId.Mismatch"],
    ["an unknown group", { "SecurityGroupIds.1": "sg-nope" }, "InvalidSecurityGroupId.NotFound"],
    ["mixed types", { "SecurityGroupIds.1": "sg-a1", "SecurityGroupIds.2": "sg-ae" }, "InvalidOperation.MultiGroupType"],
    ["N out of range", { "SecurityGroupIds.0": "sg-a1" }, "InvalidParameter"],
  ])("with %s fails with %s", (_case, params, code) => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "ModifyInstanceAttribute", { InstanceId: "i-run", ...params }).code).toBe(code);
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1"]);
  });

  test("a transitional instance cannot change its groups", () => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "ModifyInstanceAttribute", { InstanceId: "i-pend", "SecurityGroupIds.1": "sg-a2" }).code).toBe(
      "IncorrectInstanceStatus",
    );
  });
});

describe("CreateSecurityGroup and DeleteSecurityGroup", () => {
  test("a created group can be joined, and deleted once nothing uses it", () => {
    const { world } = newWorld();
    const { SecurityGroupId: id } = call(world, "CreateSecurityGroup", {
      RegionId: REGION,
      VpcId: "vpc-a",
      SecurityGroupName: "cache",
      SecurityGroupType: "normal",
    }) as { SecurityGroupId: string };
    expect(id).toMatch(/^sg-[a-z0-9]+$/);
    expect(call(world, "DescribeSecurityGroups", { RegionId: REGION, SecurityGroupIds: JSON.stringify([id]) })).toMatchObject({
      SecurityGroups: {
        SecurityGroup: [{ SecurityGroupId: id, SecurityGroupName: "cache", VpcId: "vpc-a", SecurityGroupType: "normal", EcsCount: 0 }],
      },
    });
    call(world, "JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: id });
    expect(ecsErrorOf(world, "DeleteSecurityGroup", { RegionId: REGION, SecurityGroupId: id })).toMatchObject({
      code: "DependencyViolation",
      httpStatus: 403,
    });
    call(world, "LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: id });
    expect(call(world, "DeleteSecurityGroup", { RegionId: REGION, SecurityGroupId: id })).toEqual({});
    expect(ecsErrorOf(world, "JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: id }).code).toBe("InvalidSecurityGroupId.NotFound");
  });

  test("a group used only by an ENI is in use too", () => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "DeleteSecurityGroup", { RegionId: REGION, SecurityGroupId: "sg-a2" }).code).toBe("DependencyViolation");
    expect(call(world, "DeleteSecurityGroup", { RegionId: REGION, SecurityGroupId: "sg-a3" })).toEqual({});
  });

  test.each<[string, string, Record<string, string>, string]>([
    ["CreateSecurityGroup", "no VpcId", { RegionId: REGION }, "MissingParameter"],
    ["CreateSecurityGroup", "no RegionId", { VpcId: "vpc-a" }, "MissingParameter"],
    ["CreateSecurityGroup", "a VPC of another region", { RegionId: "cn-beijing", VpcId: "vpc-a" }, "InvalidVpcId.NotFound"],
    ["CreateSecurityGroup", "an unknown type", { RegionId: REGION, VpcId: "vpc-a", SecurityGroupType: "basic" }, "InvalidParameter"],
    ["DeleteSecurityGroup", "an unknown group", { RegionId: REGION, SecurityGroupId: "sg-nope" }, "InvalidSecurityGroupId.NotFound"],
    ["DeleteSecurityGroup", "a group of another region", { RegionId: REGION, SecurityGroupId: "sg-x1" }, "InvalidSecurityGroupId.NotFound"],
    ["DeleteSecurityGroup", "a malformed group", { RegionId: REGION, SecurityGroupId: "sg_1" }, "InvalidSecurityGroupId.Malformed"],
  ])("%s with %s fails with %s", (action, _case, params, code) => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, action, params).code).toBe(code);
  });
});
