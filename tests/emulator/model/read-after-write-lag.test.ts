import { baseSeed, call, ecsErrorOf, eniGroupsOf, groupsOf, newWorld, REGION } from "./world-fixture";

const LAG = 1_000;

function laggingWorld() {
  const seed = baseSeed();
  seed.settings = { readAfterWriteLagMs: LAG };
  return newWorld(seed);
}

type Page = { Instances: { Instance: { InstanceId: string }[] } };
type GroupsPage = { SecurityGroups: { SecurityGroup: { SecurityGroupId: string; EcsCount: number }[] } };
type EnisPage = { NetworkInterfaceSets: { NetworkInterfaceSet: { NetworkInterfaceId: string; SecurityGroupIds: { SecurityGroupId: string[] } }[] } };

const membersOf = (world: ReturnType<typeof newWorld>["world"], securityGroupId: string) =>
  (call(world, "DescribeInstances", { RegionId: REGION, SecurityGroupId: securityGroupId }) as Page).Instances.Instance.map((i) => i.InstanceId);
const ecsCountOf = (world: ReturnType<typeof newWorld>["world"], securityGroupId: string) =>
  (call(world, "DescribeSecurityGroups", { RegionId: REGION, SecurityGroupIds: JSON.stringify([securityGroupId]) }) as GroupsPage).SecurityGroups
    .SecurityGroup[0]!.EcsCount;
const primaryEniGroups = (world: ReturnType<typeof newWorld>["world"]) =>
  (call(world, "DescribeNetworkInterfaces", { RegionId: REGION, "NetworkInterfaceId.1": "eni-prim" }) as EnisPage).NetworkInterfaceSets
    .NetworkInterfaceSet[0]!.SecurityGroupIds.SecurityGroupId;

describe("settings.readAfterWriteLagMs", () => {
  test("is 0 by default: a join shows at once", () => {
    const { world } = newWorld();
    call(world, "JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1", "sg-a2"]);
    expect(world.settings.readAfterWriteLagMs).toBe(0);
  });

  test("Describe* show a join only once the lag has passed, in every view of the list", () => {
    const { world, clock } = laggingWorld();
    call(world, "JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    clock.advance(LAG - 1);
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1"]);
    expect(membersOf(world, "sg-a2")).toEqual([]);
    expect(primaryEniGroups(world)).toEqual(["sg-a1"]);
    expect(ecsCountOf(world, "sg-a2")).toBe(1); // eni-sec only
    clock.advance(1);
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1", "sg-a2"]);
    expect(membersOf(world, "sg-a2")).toEqual(["i-run"]);
    expect(primaryEniGroups(world)).toEqual(["sg-a1", "sg-a2"]);
    expect(ecsCountOf(world, "sg-a2")).toBe(2);
  });

  test("the rules of Join and Leave see the true list at once", () => {
    const { world } = laggingWorld();
    call(world, "JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    expect(ecsErrorOf(world, "JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a2" }).code).toBe("InvalidInstanceId.AlreadyExists");
    call(world, "LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a1" });
    expect(ecsErrorOf(world, "LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a2" }).code).toBe("InstanceLastSecurityGroup");
    expect(world.snapshot().instances.find((i) => i.instanceId === "i-run")!.securityGroupIds).toEqual(["sg-a2"]);
  });

  test("a read between changes shows the list as it was exactly the lag ago", () => {
    const { world, clock } = laggingWorld();
    call(world, "JoinSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a2" });
    clock.advance(400);
    call(world, "LeaveSecurityGroup", { InstanceId: "i-run", SecurityGroupId: "sg-a1" });
    clock.advance(700); // 1100 after the join, 700 after the leave
    expect(groupsOf(world, "i-run")).toEqual(["sg-a1", "sg-a2"]);
    clock.advance(300);
    expect(groupsOf(world, "i-run")).toEqual(["sg-a2"]);
  });

  test("covers secondary ENIs, ModifyInstanceAttribute and world patches", () => {
    const { world, clock } = laggingWorld();
    call(world, "JoinSecurityGroup", { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a3" });
    call(world, "LeaveSecurityGroup", { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: "sg-a2" });
    call(world, "ModifyInstanceAttribute", { InstanceId: "i-stop", "SecurityGroupIds.1": "sg-a3" });
    world.applyPatch({ upsert: { instances: [{ instanceId: "i-locked", securityGroupIds: ["sg-a2"] }] } });
    expect(eniGroupsOf(world, "eni-sec")).toEqual(["sg-a2"]);
    expect(groupsOf(world, "i-stop")).toEqual(["sg-a1"]);
    expect(groupsOf(world, "i-locked")).toEqual(["sg-a1"]);
    clock.advance(LAG);
    expect(eniGroupsOf(world, "eni-sec")).toEqual(["sg-a3"]);
    expect(groupsOf(world, "i-stop")).toEqual(["sg-a3"]);
    expect(groupsOf(world, "i-locked")).toEqual(["sg-a2"]);
  });

  test("is a bounded setting that a patch can change", () => {
    const { world } = newWorld();
    world.applyPatch({ settings: { readAfterWriteLagMs: 250 } });
    expect(world.settings.readAfterWriteLagMs).toBe(250);
    expect(() => world.applyPatch({ settings: { readAfterWriteLagMs: -1 } })).toThrow(
      "patch.settings.readAfterWriteLagMs: must be a non-negative integer",
    );
    expect(() => world.applyPatch({ settings: { readAfterWriteLagMs: 600_001 } })).toThrow("up to 600000");
  });
});
