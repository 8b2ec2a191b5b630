import { parseSeed, World } from "../../../emulator/models";
import { baseSeed, call, ecsErrorOf, groupsOf, newWorld, REGION, statusOf } from "./world-fixture";

/** The base seed as plain JSON, changed by `edit`, then parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests below reach into arbitrary JSON to break it
type AnyJson = any;

function parseEdited(edit: (json: AnyJson) => void): unknown {
  const json = JSON.parse(JSON.stringify(baseSeed()));
  edit(json);
  return parseSeed(json);
}

describe("parseSeed", () => {
  test("accepts the issue's example shape and fills omitted lists with empty ones", () => {
    const seed = parseSeed({ accessKeys: [{ accessKeyId: "AK", accessKeySecret: "SECRET", readOnly: false }] });
    expect(seed).toEqual({
      accessKeys: [{ accessKeyId: "AK", accessKeySecret: "SECRET", readOnly: false }],
      vpcs: [],
      securityGroups: [],
      instances: [],
      networkInterfaces: [],
    });
    expect(parseSeed(JSON.parse(JSON.stringify(baseSeed())))).toEqual(JSON.parse(JSON.stringify(baseSeed())));
  });

  test.each<[string, (json: AnyJson) => void, string]>([
    ["not an object", (json) => (json.vpcs = 3), "vpcs: must be an array"],
    [
      "a bad status",
      (json) => (json.instances[2].status = "Deleted"),
      "instances[2].status: must be one of Pending, Starting, Running, Stopping, Stopped",
    ],
    ["a malformed instance ID", (json) => (json.instances[0].instanceId = "web-1"), "instances[0].instanceId: must be a well-formed instance ID"],
    ["a missing field", (json) => delete json.instances[1].locked, "instances[1].locked: is required"],
    ["an unknown field", (json) => (json.instances[0].colour = "red"), "instances[0].colour: unknown field"],
    ["an unknown top-level field", (json) => (json.extra = 1), "extra: unknown field"],
    ["an unknown group", (json) => json.instances[0].securityGroupIds.push("sg-zz"), "instances[0].securityGroupIds[1]: no security group sg-zz"],
    [
      "a group of another VPC",
      (json) => json.instances[0].securityGroupIds.push("sg-b1"),
      "instances[0].securityGroupIds[1]: sg-b1 is in vpc-b, not in vpc-a",
    ],
    ["a repeated group", (json) => json.instances[0].securityGroupIds.push("sg-a1"), "instances[0].securityGroupIds[1]: sg-a1 is listed twice"],
    ["no group", (json) => (json.networkInterfaces[0].securityGroupIds = []), "networkInterfaces[0].securityGroupIds: must hold at least one group"],
    ["an unknown VPC", (json) => (json.securityGroups[0].vpcId = "vpc-zz"), "securityGroups[0].vpcId: no VPC vpc-zz"],
    [
      "a region unlike its VPC's",
      (json) => (json.securityGroups[0].regionId = "cn-beijing"),
      "securityGroups[0].regionId: cn-beijing differs from the region of vpc-a",
    ],
    ["a duplicate ID", (json) => json.vpcs.push({ vpcId: "vpc-a", regionId: REGION }), "vpcs[3]: duplicate ID vpc-a"],
    ["an ENI on an unknown instance", (json) => (json.networkInterfaces[0].instanceId = "i-zz"), "networkInterfaces[0].instanceId: no instance i-zz"],
    [
      "a primary ENI ID used twice",
      (json) => (json.instances[1].primaryNetworkInterfaceId = "eni-sec"),
      "instances[1].primaryNetworkInterfaceId: eni-sec is already used",
    ],
    [
      "a bad setting",
      (json) => (json.settings = { notMemberErrorCode: "Nope" }),
      "settings.notMemberErrorCode: must be one of InstanceNotInSecurityGroup",
    ],
    [
      "a bad delay",
      (json) => (json.settings = { statusDelaysMs: { pendingToRunning: -1 } }),
      "settings.statusDelaysMs.pendingToRunning: must be a non-negative integer",
    ],
    [
      "a zero group limit",
      (json) => (json.settings = { maxSecurityGroupsPerTarget: 0 }),
      "settings.maxSecurityGroupsPerTarget: must be a positive integer",
    ],
    ["faults not a list", (json) => (json.faults = {}), "faults: must be an array"],
  ])("refuses %s, naming the field", (_case, edit, message) => {
    expect(() => parseEdited(edit)).toThrow(message);
  });

  test("World.fromSeed validates a seed built in code the same way", () => {
    const seed = baseSeed();
    seed.instances[0].securityGroupIds = ["sg-zz"];
    expect(() => World.fromSeed(seed)).toThrow("instances[0].securityGroupIds[0]: no security group sg-zz");
  });

  test("the world copies its seed: changing the seed afterwards changes nothing", () => {
    const seed = baseSeed();
    const { world } = newWorld(seed);
    seed.instances[0].securityGroupIds.push("sg-a2");
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1"]);
  });

  test("findAccessKey finds seeded keys only, and returns a copy", () => {
    const seed = baseSeed();
    seed.accessKeys.push({ accessKeyId: "RO", accessKeySecret: "s2", readOnly: true, securityToken: "tok" });
    const { world } = newWorld(seed);
    expect(world.findAccessKey("RO")).toEqual({ accessKeyId: "RO", accessKeySecret: "s2", readOnly: true, securityToken: "tok" });
    expect(world.findAccessKey("nope")).toBeUndefined();
    world.findAccessKey("AKID")!.readOnly = true;
    expect(world.findAccessKey("AKID")!.readOnly).toBe(false);
  });

  test("settings default as documented and seed settings override them", () => {
    expect(newWorld().world.settings).toEqual({
      notMemberErrorCode: "InstanceNotInSecurityGroup",
      maxSecurityGroupsPerTarget: 5,
      statusDelaysMs: { pendingToRunning: 2000, startingToRunning: 1000, stoppingToStopped: 1000 },
      conflictWindowMs: 0,
      readAfterWriteLagMs: 0,
      flowControl: {},
      flowControlWindowMs: 60_000,
    });
    const seed = baseSeed();
    seed.settings = { conflictWindowMs: 250, statusDelaysMs: { startingToRunning: 10 } };
    expect(newWorld(seed).world.settings).toMatchObject({ conflictWindowMs: 250, statusDelaysMs: { pendingToRunning: 2000, startingToRunning: 10 } });
  });
});

describe("snapshot", () => {
  test("restarting from a snapshot continues where the world stopped, transitions in flight included", () => {
    const { world, clock } = newWorld();
    call(world, "StopInstance", { InstanceId: "i-run" });
    call(world, "JoinSecurityGroup", { InstanceId: "i-stop", SecurityGroupId: "sg-a2" });
    clock.advance(400);
    const saved = JSON.parse(JSON.stringify(world.snapshot()));
    const restarted = World.fromSeed(parseSeed(saved), clock);
    expect(restarted.snapshot()).toEqual(saved);
    expect(statusOf(restarted, "i-run")).toBe("Stopping");
    clock.advance(600);
    expect(statusOf(restarted, "i-run")).toBe("Stopped");
    expect(groupsOf(restarted, "i-stop")).toEqual(["sg-a1", "sg-a2"]);
  });

  test("a restarted world never reissues an ID", () => {
    const { world, clock } = newWorld();
    const run = (w: World) =>
      (call(w, "RunInstances", { RegionId: REGION, SecurityGroupId: "sg-a1" }) as { InstanceIdSets: { InstanceIdSet: string[] } }).InstanceIdSets
        .InstanceIdSet[0];
    const first = run(world);
    call(world, "DeleteInstance", { InstanceId: first, Force: "true" });
    const restarted = World.fromSeed(world.snapshot(), clock);
    expect(run(restarted)).not.toBe(first);
  });

  test("generated IDs skip IDs the seed already holds", () => {
    const seed = baseSeed();
    seed.securityGroups.push({ securityGroupId: "sg-emu000001", regionId: REGION, vpcId: "vpc-a", securityGroupName: "taken" });
    const { world } = newWorld(seed);
    expect(call(world, "CreateSecurityGroup", { RegionId: REGION, VpcId: "vpc-a" })).toEqual({ SecurityGroupId: "sg-emu000002" });
  });

  test("faults and rngSeed pass through untouched; settings are written out in full", () => {
    const seed = baseSeed();
    seed.faults = [{ action: "*", kind: "latency", latencyMs: 5 }];
    seed.rngSeed = 42;
    const snapshot = newWorld(seed).world.snapshot();
    expect(snapshot.faults).toEqual(seed.faults);
    expect(snapshot.rngSeed).toBe(42);
    expect(snapshot.settings).toEqual(newWorld().world.settings);
  });

  test("a snapshot is a copy: changing it changes nothing", () => {
    const { world } = newWorld();
    world.snapshot().instances[0].securityGroupIds.push("sg-a2");
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1"]);
  });
});

describe("applyPatch", () => {
  test("merges fields into existing entities and creates new ones", () => {
    const { world } = newWorld();
    world.applyPatch({
      upsert: {
        vpcs: [{ vpcId: "vpc-c", regionId: REGION }],
        securityGroups: [{ securityGroupId: "sg-c1", regionId: REGION, vpcId: "vpc-c", securityGroupName: "c" }],
        instances: [
          { instanceId: "i-run", securityGroupIds: ["sg-a1", "sg-a3"] },
          { instanceId: "i-new", regionId: REGION, vpcId: "vpc-c", status: "Stopped", securityGroupIds: ["sg-c1"], locked: false },
        ],
        networkInterfaces: [{ networkInterfaceId: "eni-sec", securityGroupIds: ["sg-a3"] }],
      },
    });
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1", "sg-a3"]);
    expect(call(world, "DescribeInstanceAttribute", { InstanceId: "i-new" })).toMatchObject({ Status: "Stopped", VpcAttributes: { VpcId: "vpc-c" } });
    expect(call(world, "DescribeNetworkInterfaces", { RegionId: REGION, "NetworkInterfaceId.1": "eni-sec" })).toMatchObject({
      NetworkInterfaceSets: { NetworkInterfaceSet: [{ SecurityGroupIds: { SecurityGroupId: ["sg-a3"] } }] },
    });
  });

  test("removes entities; a removed instance leaves its ENIs detached", () => {
    const { world } = newWorld();
    world.applyPatch({ remove: { instances: ["i-run"], securityGroups: ["sg-a3"] } });
    expect(ecsErrorOf(world, "DescribeInstanceAttribute", { InstanceId: "i-run" }).code).toBe("InvalidInstanceId.NotFound");
    expect(world.snapshot().networkInterfaces[0]).toMatchObject({ networkInterfaceId: "eni-sec", instanceId: null });
    expect(world.snapshot().securityGroups.map((g) => g.securityGroupId)).not.toContain("sg-a3");
  });

  test("changes settings", () => {
    const { world } = newWorld();
    world.applyPatch({ settings: { notMemberErrorCode: "InvalidSecurityGroupAssociation.NotFound", conflictWindowMs: 100 } });
    expect(world.settings).toMatchObject({ notMemberErrorCode: "InvalidSecurityGroupAssociation.NotFound", conflictWindowMs: 100 });
    expect(ecsErrorOf(world, "LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a2" }).code).toBe(
      "InvalidSecurityGroupAssociation.NotFound",
    );
  });

  test.each<[string, unknown, string]>([
    ["a non-object", [], "patch: must be an object"],
    ["an unknown section", { replace: {} }, "patch.replace: unknown field"],
    ["an unknown entity kind", { upsert: { disks: [] } }, "patch.upsert.disks: unknown field"],
    ["an entity without its ID", { upsert: { instances: [{ locked: true }] } }, "patch.upsert.instances[0].instanceId: is required"],
    [
      "a new entity without all fields",
      { upsert: { instances: [{ instanceId: "i-new", status: "Running" }] } },
      "patch.upsert.instances[0].regionId: is required",
    ],
    ["a bad field value", { upsert: { instances: [{ instanceId: "i-run", status: "Frozen" }] } }, "patch.upsert.instances[0].status: must be one of"],
    ["removing an unknown ID", { remove: { instances: ["i-zz"] } }, "patch.remove.instances[0]: no such ID i-zz"],
    ["removing a group in use", { remove: { securityGroups: ["sg-a1"] } }, "patch.remove.securityGroups[0]: sg-a1 is in use by i-"],
    ["a group of another VPC", { upsert: { instances: [{ instanceId: "i-run", securityGroupIds: ["sg-b1"] }] } }, "sg-b1 is in vpc-b, not in vpc-a"],
    ["a bad setting", { settings: { conflictWindowMs: "soon" } }, "patch.settings.conflictWindowMs: must be a non-negative integer"],
    [
      "a misspelt field",
      { upsert: { instances: [{ instanceId: "i-run", staus: "Stopped" }] } },
      "patch.upsert.instances[0].staus: unknown field; did you mean status?",
    ],
  ])("refuses %s and leaves the world unchanged", (_case, patch, message) => {
    const { world } = newWorld();
    const before = world.snapshot();
    expect(() => world.applyPatch(patch)).toThrow(message);
    expect(world.snapshot()).toEqual(before);
  });
});

describe("seeds and patches explain themselves", () => {
  test("removing a group names the targets still in it; one taken out of it by the same patch is fine", () => {
    const { world } = newWorld();
    const users = world.snapshot().instances.filter((i) => i.securityGroupIds.includes("sg-a1"));
    expect(users.length).toBeGreaterThan(0);
    expect(() => world.applyPatch({ remove: { securityGroups: ["sg-a1"] } })).toThrow(
      new RegExp(`^patch\\.remove\\.securityGroups\\[0\\]: sg-a1 is in use by ${users[0]!.instanceId}`),
    );
  });

  test("every problem of a patch is reported at once: its shape first, then what it does to the world", () => {
    const { world } = newWorld();
    const messageOf = (patch: unknown): string => {
      try {
        world.applyPatch(patch);
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    };
    const shape = messageOf({
      upsert: {
        instances: [
          { instanceId: "i-run", status: "Frozen" },
          { instanceId: "i-run", lockd: true },
        ],
      },
    });
    expect(shape).toContain("patch.upsert.instances[0].status: must be one of");
    expect(shape).toContain("patch.upsert.instances[1].lockd: unknown field; did you mean locked?");
    const effect = messageOf({ remove: { instances: ["i-zz"], securityGroups: ["sg-a1"] }, upsert: { instances: [{ locked: true }] } });
    expect(effect).toContain("patch.remove.instances[0]: no such ID i-zz");
    expect(effect).toContain("patch.upsert.instances[0].instanceId: is required");
    expect(effect).toContain("patch.remove.securityGroups[0]: sg-a1 is in use by");
  });

  test("every problem of a seed is reported at once, up to a bound, and an unknown field suggests the nearest known one", () => {
    expect(() =>
      parseEdited((json) => {
        json.instances[0].instanceNmae = "web";
        json.instances[1].status = "Deleted";
      }),
    ).toThrow(/instances\[0\]\.instanceNmae: unknown field; did you mean instanceName\?.*; instances\[1\]\.status: must be one of/);
    expect(() => parseEdited((json) => (json.instances[0].colour = "red"))).toThrow(/^instances\[0\]\.colour: unknown field$/);
    const many = () =>
      parseEdited((json) => {
        json.vpcs = Array.from({ length: 15 }, (_, i) => ({ vpcId: `vpc-x${i}`, regionId: REGION, extra: i }));
      });
    expect(many).toThrow(/ \(and 5 more\)$/);
    expect(() =>
      parseEdited((json) => {
        json.instances[0].securityGroupIds.push("sg-zz");
        json.instances[1].securityGroupIds.push("sg-yy");
      }),
    ).toThrow(/no security group sg-zz in securityGroups; .*no security group sg-yy/);
  });
});
