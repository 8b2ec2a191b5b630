import fc from "fast-check";
import { EcsError, parseSeed, World } from "../../../emulator/models";
import { baseSeed, call, groupsOf, ManualClock, REGION } from "./world-fixture";

const TARGETS: Record<string, string>[] = [
  { InstanceId: "i-run" },
  { InstanceId: "i-stop" },
  { InstanceId: "i-pend" },
  { InstanceId: "i-locked" },
  { NetworkInterfaceId: "eni-sec", RegionId: REGION },
  { NetworkInterfaceId: "eni-free", RegionId: REGION },
  { NetworkInterfaceId: "eni-prim", RegionId: REGION },
];
const GROUPS = ["sg-a1", "sg-a2", "sg-a3", "sg-ae", "sg-b1", "sg-x1", "sg-nope"];

/** One step of a random session: an action with parameters drawn from the world's IDs, or the clock moving on. */
const step = fc.oneof(
  fc
    .record({
      action: fc.constantFrom("JoinSecurityGroup", "LeaveSecurityGroup"),
      target: fc.constantFrom(...TARGETS),
      group: fc.constantFrom(...GROUPS),
    })
    .map(({ action, target, group }) => ({ action, params: { ...target, SecurityGroupId: group } })),
  fc
    .record({
      action: fc.constantFrom("StartInstance", "StopInstance"),
      instance: fc.constantFrom("i-run", "i-stop", "i-pend"),
    })
    .map(({ action, instance }) => ({ action, params: { InstanceId: instance } as Record<string, string> })),
  fc.integer({ min: 0, max: 1500 }).map((ms) => ({ action: "advance", params: { ms: String(ms) } as Record<string, string> })),
);

/** Runs the steps; ECS errors are legitimate answers, anything else is a bug and fails the property. */
function play(world: World, clock: ManualClock, steps: { action: string; params: Record<string, string> }[]): void {
  for (const { action, params } of steps) {
    if (action === "advance") {
      clock.advance(Number(params.ms));
      continue;
    }
    try {
      call(world, action, params);
    } catch (error) {
      if (!(error instanceof EcsError)) throw error;
    }
  }
}

function freshWorld(conflictWindowMs = 0): { world: World; clock: ManualClock } {
  const seed = baseSeed();
  seed.settings = { conflictWindowMs };
  const clock = new ManualClock();
  return { world: World.fromSeed(seed, clock), clock };
}

const PARAM_NAMES = [
  "RegionId",
  "InstanceId",
  "NetworkInterfaceId",
  "SecurityGroupId",
  "SecurityGroupIds",
  "SecurityGroupIds.1",
  "SecurityGroupIds.2",
  "InstanceIds",
  "NetworkInterfaceId.1",
  "VpcId",
  "Status",
  "Type",
  "PageNumber",
  "PageSize",
  "NextToken",
  "MaxResults",
  "Amount",
  "Force",
  "InstanceName",
  "SecurityGroupName",
  "SecurityGroupType",
];
const PARAM_VALUES = fc.oneof(
  fc.constantFrom(
    REGION,
    "i-run",
    "i-stop",
    "eni-sec",
    "eni-prim",
    "sg-a1",
    "sg-a2",
    "vpc-a",
    "true",
    "0",
    "1",
    "100",
    "[]",
    '["i-run"]',
    "Running",
    "",
  ),
  fc.string(),
);

describe("properties of the world", () => {
  test("any parameters: every action answers or fails with an EcsError, never anything else", () => {
    const { world } = freshWorld();
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(world.actions)), fc.dictionary(fc.constantFrom(...PARAM_NAMES), PARAM_VALUES), (action, params) => {
        try {
          call(world, action, params);
        } catch (error) {
          expect(error).toBeInstanceOf(EcsError);
        }
      }),
      { numRuns: 500 },
    );
    expect(() => parseSeed(JSON.parse(JSON.stringify(world.snapshot())))).not.toThrow();
  });

  test("whatever happens, every target keeps 1..limit distinct groups of its own VPC", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.constantFrom(0, 300), (steps, conflictWindowMs) => {
        const { world, clock } = freshWorld(conflictWindowMs);
        play(world, clock, steps);
        const snapshot = world.snapshot();
        const vpcOf = new Map(snapshot.securityGroups.map((g) => [g.securityGroupId, g.vpcId]));
        for (const target of [...snapshot.instances, ...snapshot.networkInterfaces]) {
          expect(target.securityGroupIds.length).toBeGreaterThanOrEqual(1);
          expect(target.securityGroupIds.length).toBeLessThanOrEqual(world.settings.maxSecurityGroupsPerTarget);
          expect(new Set(target.securityGroupIds).size).toBe(target.securityGroupIds.length);
          for (const id of target.securityGroupIds) expect(vpcOf.get(id)).toBe(target.vpcId);
        }
        expect(() => parseSeed(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
      }),
    );
  });

  test("a successful Join followed by Leave of the same group restores the original list", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), fc.constantFrom(...TARGETS), fc.constantFrom(...GROUPS), (steps, target, group) => {
        const { world, clock } = freshWorld();
        play(world, clock, steps);
        const before = world.snapshot();
        const params = { ...target, SecurityGroupId: group };
        try {
          call(world, "JoinSecurityGroup", params);
        } catch (error) {
          if (error instanceof EcsError) return;
          throw error;
        }
        call(world, "LeaveSecurityGroup", params);
        expect(world.snapshot()).toEqual(before);
      }),
    );
  });

  test("snapshot → fromSeed → snapshot is the identity, at any moment of any session", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const { world, clock } = freshWorld(200);
        play(world, clock, steps);
        const snapshot = JSON.parse(JSON.stringify(world.snapshot()));
        expect(World.fromSeed(snapshot, clock).snapshot()).toEqual(snapshot);
      }),
    );
  });

  test("pages of any size list every instance exactly once, in the same order as one big page", () => {
    const { world } = freshWorld();
    for (let n = 0; n < 3; n++) call(world, "RunInstances", { RegionId: REGION, SecurityGroupId: "sg-a1", Amount: "7" });
    const ids = (params: Record<string, string>) =>
      (
        call(world, "DescribeInstances", { RegionId: REGION, ...params }) as { Instances: { Instance: { InstanceId: string }[] } }
      ).Instances.Instance.map((i) => i.InstanceId);
    const all = ids({ PageSize: "100" });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (size) => {
        const pages: string[] = [];
        for (let page = 1; (page - 1) * size < all.length; page++) pages.push(...ids({ PageNumber: String(page), PageSize: String(size) }));
        expect(pages).toEqual(all);
      }),
    );
  });

  test("the instance's own groups are untouched by any change to a secondary ENI", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("JoinSecurityGroup", "LeaveSecurityGroup"), fc.constantFrom(...GROUPS)), { maxLength: 15 }),
        (changes) => {
          const { world } = freshWorld();
          for (const [action, group] of changes) {
            try {
              call(world, action, { NetworkInterfaceId: "eni-sec", RegionId: REGION, SecurityGroupId: group });
            } catch (error) {
              if (!(error instanceof EcsError)) throw error;
            }
          }
          expect(groupsOf(world, "i-run")).toEqual(["sg-a1"]);
        },
      ),
    );
  });
});
