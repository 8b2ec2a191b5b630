/**
 * Faults, waits and scale: retries converge under throttling and gateway failures, non-retryable errors fail at once,
 * status waits poll until the instance settles, our own operations on one target never conflict, and reads in flight
 * together cost one DescribeInstances per 100 instances.
 */
import type { SecurityGroupMembershipProvider } from "../../provider";
import type { TestEmulator } from "../../testing/test-emulator";
import { IDS, REGION } from "../../testing/default-world";
import { configuredProvider, expectNoSecrets, failureOf, groupsOf, stackConfig, useTestWorld } from "./support";

let emulator: TestEmulator;
let provider: SecurityGroupMembershipProvider;

useTestWorld((e, p) => ((emulator = e), (provider = p)));

function membership(fields: Record<string, unknown>) {
  return { regionId: REGION, securityGroupId: IDS.sgOps, ...fields } as never;
}

async function actionCount(action: string): Promise<number> {
  return (await emulator.stats()).actions[action] ?? 0;
}

describe("faults", () => {
  test.each([
    ["a throttling storm", { kind: "throttling", code: "Throttling" }],
    ["a storm of the API's flow control", { kind: "throttling", code: "Throttling.Api" }],
    ["500 InternalError", { kind: "server-error" }],
    ["503 ServiceUnavailable", { kind: "unavailable" }],
    ["a non-JSON 502 page", { kind: "bad-gateway" }],
    ["dropped connections", { kind: "drop" }],
  ])("create and delete converge through %s on every action", async (_what, fault) => {
    await emulator.setFaults([{ action: "*", ...fault, probability: 0.5 } as never], 7);
    const created = await provider.create(membership({ instanceId: IDS.running }));
    expect(await groupsOf(emulator, IDS.running)).toContain(IDS.sgOps);
    await provider.delete(created.id, created.outs!);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });

  test("a storm of throttled Joins and Leaves: each is retried until it lands, one request per attempt", async () => {
    await emulator.setFaults([
      { action: "JoinSecurityGroup", kind: "throttling", code: "Throttling.Api", times: 5 },
      { action: "LeaveSecurityGroup", kind: "throttling", times: 4 },
    ]);
    const created = await provider.create(membership({ instanceId: IDS.running }));
    expect(await actionCount("JoinSecurityGroup")).toBe(6);
    await provider.delete(created.id, created.outs!);
    expect(await actionCount("LeaveSecurityGroup")).toBe(5);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });

  test("a membership someone else makes while our Join is throttled is refused, not taken over", async () => {
    // Throttling means ECS did not carry the Join out, so a membership that appears meanwhile is not ours.
    await emulator.setFaults([
      { action: "JoinSecurityGroup", kind: "latency", latencyMs: 200, times: 1 },
      { action: "JoinSecurityGroup", kind: "throttling", times: 1 },
    ]);
    const created = failureOf(provider.create(membership({ instanceId: IDS.running })));
    while ((await actionCount("JoinSecurityGroup")) < 1) await new Promise((r) => setTimeout(r, 10));
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb, IDS.sgOps] }] } });
    expect((await created).message).toMatch(
      /already in security group sg-bp1ops \(JoinSecurityGroup answered InvalidInstanceId.AlreadyExists: .*RequestId.*\), and this resource has no record of creating that membership/,
    );
    expect(await actionCount("JoinSecurityGroup")).toBe(2);
  });

  test("a non-retryable error fails at once: one request", async () => {
    await emulator.resetStats();
    const err = await failureOf(provider.create(membership({ instanceId: IDS.running, securityGroupId: IDS.sgOtherVpc })));
    expect(err.message).toMatch(/InvalidInstanceId\.Mismatch/);
    expect(await actionCount("JoinSecurityGroup")).toBe(1);
  });

  test("a throttling storm longer than the deadline: the last error, attempts and elapsed time", async () => {
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "throttling", code: "Throttling.Api" }]);
    const err = await failureOf(provider.create(membership({ instanceId: IDS.running, operationTimeoutSeconds: 1 })));
    expect(err.message).toMatch(/Throttling\.Api: .*\(RequestId: [0-9A-F-]+\)\. Still failing after \d+ attempts/);
    expectNoSecrets(err.message);
  });
});

describe("status waits", () => {
  test("create waits for a Pending instance to become Running, then joins", async () => {
    await emulator.patch({
      settings: { statusDelaysMs: { pendingToRunning: 300 } },
      upsert: { instances: [{ instanceId: IDS.pending, status: "Pending" }] },
    });
    await provider.create(membership({ instanceId: IDS.pending }));
    const world = await emulator.state();
    const instance = world.instances.find((i) => i.instanceId === IDS.pending)!;
    expect(instance.status).toBe("Running");
    expect(instance.securityGroupIds).toContain(IDS.sgOps);
    // ECS's refusal, then the Join after the wait; the wait itself reads.
    expect(await actionCount("JoinSecurityGroup")).toBe(2);
  });

  test("delete waits for a Stopping instance to become Stopped, then leaves", async () => {
    const created = await provider.create(membership({ instanceId: IDS.running }));
    await emulator.patch({
      settings: { statusDelaysMs: { stoppingToStopped: 300 } },
      upsert: { instances: [{ instanceId: IDS.running, status: "Stopping" }] },
    });
    await emulator.resetStats();
    await provider.delete(created.id, created.outs!);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
    expect(await actionCount("LeaveSecurityGroup")).toBe(2);
  });
});

/** Running instances in sgWeb and sgDb, i-bp1fleet0 and on. */
async function upsertFleet(count: number): Promise<string[]> {
  const instances = Array.from({ length: count }, (_, n) => ({
    instanceId: `i-bp1fleet${n}`,
    regionId: REGION,
    vpcId: IDS.vpc,
    status: "Running",
    securityGroupIds: [IDS.sgWeb, IDS.sgDb],
    locked: false,
  }));
  await emulator.patch({ upsert: { instances } });
  return instances.map((i) => i.instanceId);
}

function readDbMembership(instanceId: string) {
  return provider.read(`${instanceId}:${IDS.sgDb}`, membership({ instanceId, securityGroupId: IDS.sgDb, securityGroupIds: [] }));
}

describe("one process, many memberships", () => {
  test("concurrent memberships of one instance all land despite ECS's conflict window", async () => {
    await emulator.patch({ settings: { conflictWindowMs: 100, maxSecurityGroupsPerTarget: 10 } });
    const groups = ["sg-bp1c1", "sg-bp1c2", "sg-bp1c3", "sg-bp1c4"];
    await emulator.patch({
      upsert: {
        securityGroups: groups.map((securityGroupId) => ({ securityGroupId, regionId: REGION, vpcId: IDS.vpc, securityGroupName: securityGroupId })),
      },
    });
    await emulator.resetStats();
    await Promise.all(groups.map((securityGroupId) => provider.create(membership({ instanceId: IDS.running, securityGroupId }))));
    expect((await groupsOf(emulator, IDS.running))!.sort()).toEqual([IDS.sgWeb, ...groups].sort());
  });

  test("N concurrent reads cost ceil(N/100) DescribeInstances calls", async () => {
    const count = 250;
    const instances = await upsertFleet(count);
    await emulator.resetStats();
    const reads = await Promise.all(instances.map(readDbMembership));
    expect(reads.every((r) => r.id !== "" && r.props!.securityGroupIds.length === 2)).toBe(true);
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: Math.ceil(count / 100) });
  });

  test("an instance read twice in one batch is described once", async () => {
    // With the seed's three instances in sgDb, the group has 100: its listing is one page.
    const instances = await upsertFleet(97);
    await emulator.resetStats();
    const reads = await Promise.all([...instances, ...instances].map(readDbMembership));
    expect(reads.every((r) => r.id !== "")).toBe(true);
    // 194 reads of 97 distinct instances: one listing of the group, not two calls.
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 1 });
  });

  test("reads that arrive one by one while a Describe call is in flight go out together when it returns", async () => {
    const [first, ...rest] = await upsertFleet(21);
    await emulator.setFaults([{ action: "DescribeInstances", kind: "latency", latencyMs: 1000, times: 1 }]);
    await emulator.resetStats();
    const reads = [readDbMembership(first)];
    // Each later read starts in its own turn of the event loop, all long before the first call's 1 s delay ends.
    for (const instanceId of rest) {
      await new Promise(setImmediate);
      reads.push(readDbMembership(instanceId));
    }
    expect((await Promise.all(reads)).every((r) => r.id !== "")).toBe(true);
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 2 });
  });

  test("a group's memberships are answered by one listing of its instances; one that left out of band reads as gone", async () => {
    const [left, ...staying] = await upsertFleet(20);
    await emulator.patch({ upsert: { instances: [{ instanceId: left!, securityGroupIds: [IDS.sgWeb] }] } });
    await emulator.resetStats();
    const reads = await Promise.all([left!, ...staying].map(readDbMembership));
    expect(reads.map((r) => r.id !== "")).toEqual([false, ...staying.map(() => true)]);
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 1 });
  });

  test("a group too large for one listing is not listed again: later reads of its memberships go straight to targeted reads", async () => {
    const instances = await upsertFleet(120);
    await emulator.resetStats();
    expect((await Promise.all(instances.map(readDbMembership))).every((r) => r.id !== "")).toBe(true);
    // The listing (one page of 100 of the group's 123) and one targeted read for the rest.
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 2 });
    await emulator.resetStats();
    expect((await Promise.all(instances.slice(0, 10).map(readDbMembership))).every((r) => r.id !== "")).toBe(true);
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 1 });
  });

  test("a listing that fails is not retried: the reads it could not answer fall back to targeted reads", async () => {
    const instances = await upsertFleet(5);
    await emulator.setFaults([{ action: "DescribeInstances", kind: "throttling", times: 1 }]);
    await emulator.resetStats();
    const reads = await Promise.all(instances.map(readDbMembership));
    expect(reads.every((r) => r.id !== "")).toBe(true);
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 2 });
  });

  test("ENI reads are coalesced too, separately from instances", async () => {
    const enis = Array.from({ length: 120 }, (_, n) => ({
      networkInterfaceId: `eni-bp1fleet${n}`,
      regionId: REGION,
      vpcId: IDS.vpc,
      instanceId: null,
      securityGroupIds: [IDS.sgOps],
    }));
    await emulator.patch({ upsert: { networkInterfaces: enis } });
    await emulator.resetStats();
    const reads = await Promise.all([
      ...enis.map((e) =>
        provider.read(`${e.networkInterfaceId}:${IDS.sgOps}`, membership({ networkInterfaceId: e.networkInterfaceId, securityGroupIds: [] })),
      ),
      provider.read(`${IDS.stopped}:${IDS.sgDb}`, membership({ instanceId: IDS.stopped, securityGroupId: IDS.sgDb, securityGroupIds: [] })),
    ]);
    expect(reads.every((r) => r.id !== "")).toBe(true);
    expect((await emulator.stats()).actions).toEqual({ DescribeNetworkInterfaces: 2, DescribeInstances: 1 });
  });
});

describe("reads that confirm writes", () => {
  test("concurrent creates and deletes cost one write each and one DescribeInstances between them: the confirmations gather", async () => {
    const instances = await upsertFleet(8);
    // A stated quota: the limiter then sends the writes at once, instead of one, then two, as it does before it knows.
    const paced = await configuredProvider(
      stackConfig(emulator.url, undefined, { "alicloud-sg-membership:apiQuota": "JoinSecurityGroup=1000,LeaveSecurityGroup=1000" }),
    );
    await emulator.setFaults([{ action: "*", kind: "latency", latencyMs: 200 }]);
    await emulator.resetStats();
    const created = await Promise.all(instances.map((instanceId) => paced.create(membership({ instanceId }))));
    expect((await emulator.stats()).actions).toEqual({ JoinSecurityGroup: 8, DescribeInstances: 1 });
    for (const instanceId of instances) expect(await groupsOf(emulator, instanceId)).toContain(IDS.sgOps);

    await emulator.resetStats();
    await Promise.all(created.map(({ id, outs }) => paced.delete(id, outs!)));
    expect((await emulator.stats()).actions).toEqual({ LeaveSecurityGroup: 8, DescribeInstances: 1 });
    for (const instanceId of instances) expect(await groupsOf(emulator, instanceId)).not.toContain(IDS.sgOps);
  });
});
