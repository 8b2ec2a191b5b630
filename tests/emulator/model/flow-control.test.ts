import { EcsError } from "../../../emulator/models";
import { baseSeed, newWorld, REGION } from "./world-fixture";

/** The world's flow control, on the fixture's clock: windows turn when the test moves it. */
function worldWith(flowControl: Record<string, number>, windowMs = 60_000) {
  const seed = baseSeed();
  seed.accessKeys = [
    { accessKeyId: "AKID", accessKeySecret: "s" },
    { accessKeyId: "RAM", accessKeySecret: "s" },
    { accessKeyId: "ELSE", accessKeySecret: "s", account: "another" },
  ];
  seed.settings = { flowControl, flowControlWindowMs: windowMs };
  const { world, clock } = newWorld(seed);
  // To the start of a window, so a test's calls fall in one.
  clock.advance(windowMs - (clock.now() % windowMs));
  const admitted = (key: string, action = "JoinSecurityGroup", regionId = REGION): string => {
    try {
      world.admitCall(key, action, regionId);
      return "ok";
    } catch (error) {
      return error instanceof EcsError ? `${error.httpStatus} ${error.code}` : "bug";
    }
  };
  return { world, clock, admitted };
}

test("the quota holds per account, region and action; the next window starts afresh", () => {
  const { clock, admitted } = worldWith({ JoinSecurityGroup: 2 });
  expect([admitted("AKID"), admitted("RAM"), admitted("AKID")]).toEqual(["ok", "ok", "400 Throttling.User"]);
  expect(admitted("ELSE")).toBe("ok");
  expect(admitted("AKID", "JoinSecurityGroup", "cn-beijing")).toBe("ok");
  expect(admitted("AKID", "LeaveSecurityGroup")).toBe("ok");
  clock.advance(60_000);
  expect(admitted("RAM")).toBe("ok");
});

test("a quota of 0 refuses every call of the action", () => {
  const { admitted } = worldWith({ DescribeInstances: 0 });
  expect(admitted("AKID", "DescribeInstances")).toBe("400 Throttling.User");
});

test("counts stay right past the number of counters kept, when callers name many regions", () => {
  const { clock, admitted } = worldWith({ JoinSecurityGroup: 1 }, 1_000);
  for (let i = 0; i < 1_500; i++) expect(admitted("AKID", "JoinSecurityGroup", `region-${i}`)).toBe("ok");
  expect(admitted("AKID", "JoinSecurityGroup", "region-7")).toBe("400 Throttling.User");
  clock.advance(1_000);
  for (let i = 0; i < 1_500; i++) expect(admitted("AKID", "JoinSecurityGroup", `region-${i}`)).toBe("ok");
  expect(admitted("AKID", "JoinSecurityGroup", "region-1499")).toBe("400 Throttling.User");
  // A region not seen before, in a new window, drops the past windows' counters: the others start afresh all the same.
  clock.advance(1_000);
  expect([admitted("AKID", "JoinSecurityGroup", "elsewhere"), admitted("AKID", "JoinSecurityGroup", "region-5")]).toEqual(["ok", "ok"]);
  expect(admitted("AKID", "JoinSecurityGroup", "region-5")).toBe("400 Throttling.User");
});

test("a changed window length starts every window afresh; a changed quota keeps the window's count", () => {
  const { world, admitted } = worldWith({ JoinSecurityGroup: 1 });
  expect([admitted("AKID"), admitted("AKID")]).toEqual(["ok", "400 Throttling.User"]);
  world.applyPatch({ settings: { flowControl: { JoinSecurityGroup: 2 } } });
  expect([admitted("AKID"), admitted("AKID")]).toEqual(["ok", "400 Throttling.User"]);
  world.applyPatch({ settings: { flowControlWindowMs: 30_000 } });
  expect(admitted("AKID")).toBe("ok");
});
