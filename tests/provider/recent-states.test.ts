/**
 * Recent target states: read and diff of memberships of one target within the window cost one DescribeInstances,
 * our own Join and Leave and the window's end make them look again, and create and delete always ask ECS.
 */
import type { SecurityGroupMembershipProvider } from "../../provider";
import type { MembershipOutputs } from "../../provider/membership/inputs";
import { RecentStates } from "../../provider/membership/recent-states";
import { startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { FAST_BACKOFF, failureOf, groupsOf, providerFor } from "./support";
import { eventually } from "../../testing/wait";

let emulator: TestEmulator;
/** The default window (2 s): each test's steps take a few milliseconds. */
let provider: SecurityGroupMembershipProvider;

beforeEach(async () => {
  emulator = await startTestEmulator();
  provider = await providerFor(emulator, KEYS.full, { backoff: FAST_BACKOFF });
});
afterEach(() => emulator.close());

function membership(instanceId: string, securityGroupId: string): MembershipOutputs {
  return { instanceId, securityGroupId, regionId: REGION, securityGroupIds: [] } as never;
}

async function describeCalls(): Promise<number> {
  return (await emulator.stats()).actions.DescribeInstances ?? 0;
}

const diffOf = (m: MembershipOutputs) => provider.diff(`${m.instanceId}:${m.securityGroupId}`, m, m as never);

describe("within the window", () => {
  test("read then diff of one membership cost one DescribeInstances", async () => {
    const dbOfStopped = membership(IDS.stopped, IDS.sgDb);
    await emulator.resetStats();
    expect((await provider.read("m", dbOfStopped)).props!.securityGroupIds).toEqual([IDS.sgWeb, IDS.sgDb]);
    expect(await diffOf(dbOfStopped)).toMatchObject({ changes: false });
    expect(await describeCalls()).toBe(1);
  });

  test("diffs of 4 memberships of one instance, one after another, cost one call and each gets its answer", async () => {
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgWeb, IDS.sgDb, IDS.sgOps] }] } });
    await emulator.resetStats();
    const changes = [];
    for (const group of [IDS.sgWeb, IDS.sgDb, IDS.sgOps, IDS.sgOtherVpc]) changes.push((await diffOf(membership(IDS.stopped, group))).changes);
    expect(changes).toEqual([false, false, false, true]);
    expect(await describeCalls()).toBe(1);
  });

  test("diffs arriving while the target's Describe call is on the wire wait for its answer", async () => {
    await emulator.setFaults([{ action: "DescribeInstances", kind: "latency", latencyMs: 300, times: 1 }]);
    await emulator.resetStats();
    const first = diffOf(membership(IDS.stopped, IDS.sgWeb));
    await eventually("the first Describe call to arrive", async () => (await describeCalls()) === 1);
    const later = [IDS.sgDb, IDS.sgOps].map((group) => diffOf(membership(IDS.stopped, group)));
    expect((await Promise.all([first, ...later])).map((d) => d.changes)).toEqual([false, false, true]);
    expect(await describeCalls()).toBe(1);
  });
});

describe("our writes", () => {
  test("a diff right after create or delete sees the new membership, not the state read before it", async () => {
    const opsOfRunning = membership(IDS.running, IDS.sgOps);
    expect(await diffOf(opsOfRunning)).toMatchObject({ changes: true });
    const created = await provider.create(opsOfRunning as never);
    expect(await diffOf(opsOfRunning)).toMatchObject({ changes: false });
    expect((await provider.read(created.id, created.outs)).id).toBe(created.id);
    await provider.delete(created.id, created.outs!);
    expect(await diffOf(opsOfRunning)).toMatchObject({ changes: true });
    expect((await provider.read(created.id, created.outs)).id).toBe("");
  });

  test("delete goes by ECS, not by a state read before: a membership removed out of band just before is gone, which is success", async () => {
    const dbOfStopped = membership(IDS.stopped, IDS.sgDb);
    expect((await provider.read("m", dbOfStopped)).id).toBe("m");
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgWeb] }] } });
    await emulator.resetStats();
    await provider.delete("m", dbOfStopped);
    // ECS's "not a member" answer to the Leave is the look: nothing else is asked, and the world stays as it was.
    expect((await emulator.stats()).actions).toEqual({ LeaveSecurityGroup: 1 });
    expect(await groupsOf(emulator, IDS.stopped)).toEqual([IDS.sgWeb]);
  });

  test("create goes by ECS, not by a state read before: a membership added out of band just before is refused", async () => {
    const opsOfRunning = membership(IDS.running, IDS.sgOps);
    expect(await diffOf(opsOfRunning)).toMatchObject({ changes: true });
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb, IDS.sgOps] }] } });
    await emulator.resetStats();
    const err = await failureOf(provider.create(opsOfRunning as never));
    expect(err.message).toMatch(/already in security group sg-bp1ops \(JoinSecurityGroup answered InvalidInstanceId\.AlreadyExists: /);
    expect((await emulator.stats()).actions).toEqual({ JoinSecurityGroup: 1 });
  });
});

test("once the window has passed, a read sees a change made out of band", async () => {
  const shortWindow = await providerFor(emulator, KEYS.full, { backoff: FAST_BACKOFF, recentStateMaxAgeMs: 50 });
  const dbOfStopped = membership(IDS.stopped, IDS.sgDb);
  expect((await shortWindow.read("m", dbOfStopped)).id).toBe("m");
  await emulator.patch({ upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgWeb] }] } });
  await eventually("a read to report the membership gone", async () => (await shortWindow.read("m", dbOfStopped)).id === "");
});

describe("RecentStates on a fake clock", () => {
  const state = { kind: "instance", id: "i-1", regionId: REGION, status: "Running", securityGroupIds: ["sg-1"] } as const;
  let now = 0;
  let states: RecentStates;
  beforeEach(() => {
    now = 1_000_000;
    states = new RecentStates(() => now);
  });

  test("serves a state until it is maxAgeMs old, counted from when it was asked for", () => {
    states.remember("k", { ...state, securityGroupIds: [...state.securityGroupIds] }, now - 100);
    expect(states.recent("k", 150)?.state?.securityGroupIds).toEqual(["sg-1"]);
    now += 50;
    expect(states.recent("k", 150)).toBeUndefined();
    expect(states.recent("k", 5000)?.state?.id).toBe("i-1");
  });

  test("never longer than the default window, however long a caller would accept", () => {
    states.remember("k", undefined, now);
    expect(states.recent("k", 60_000)).toEqual({ state: undefined });
    now += 2000;
    expect(states.recent("k", 60_000)).toBeUndefined();
  });

  test("an answer asked for before (or in the millisecond of) our write is not kept; one asked after is", () => {
    const askedAt = now;
    states.markWritten("k");
    states.remember("k", { ...state, securityGroupIds: [] }, askedAt);
    expect(states.recent("k", 2000)).toBeUndefined();
    now += 1;
    states.remember("k", { ...state, securityGroupIds: [] }, now);
    expect(states.recent("k", 2000)?.state?.securityGroupIds).toEqual([]);
  });

  test("an older answer arriving late does not replace a newer one", () => {
    states.remember("k", { ...state, securityGroupIds: ["sg-new"] }, now);
    states.remember("k", { ...state, securityGroupIds: ["sg-old"] }, now - 10);
    expect(states.recent("k", 2000)?.state?.securityGroupIds).toEqual(["sg-new"]);
  });
});
