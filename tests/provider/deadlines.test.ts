/**
 * operationTimeoutSeconds is a bound on every path: a read batched with longer-lived reads still ends at its own
 * deadline, waiting for another operation on the same target counts against it, and an endpoint that always promises
 * another page cannot keep a read running.
 */
import type { SecurityGroupMembershipProvider } from "../../provider";
import type { TestEmulator } from "../../testing/test-emulator";
import { webServer } from "../../testing/foreign-servers";
import { IDS, REGION } from "../../testing/default-world";
import { configuredProvider, failureOf, stackConfig, useTestWorld } from "./support";
import { eventually } from "../../testing/wait";

let emulator: TestEmulator;
let provider: SecurityGroupMembershipProvider;

useTestWorld((e, p) => ((emulator = e), (provider = p)));

const dbOf = (instanceId: string, operationTimeoutSeconds: number) =>
  ({ instanceId, securityGroupId: IDS.sgDb, regionId: REGION, operationTimeoutSeconds, securityGroupIds: [] }) as never;
const REPORTED = /gave up after \d+ attempts over (\d+\.\d)s|Still failing after \d+ attempts over (\d+\.\d)s/;

test("a read batched with a longer-lived one under throttling ends at its own deadline, first", async () => {
  await emulator.setFaults([{ action: "DescribeInstances", kind: "throttling" }]);
  const finished: string[] = [];
  const short = failureOf(provider.read("short", dbOf(IDS.stopped, 1))).finally(() => finished.push("short"));
  const long = failureOf(provider.read("long", dbOf(IDS.locked, 4))).finally(() => finished.push("long"));
  const [shortError] = await Promise.all([short, long]);
  expect(finished).toEqual(["short", "long"]);
  const [, a, b] = REPORTED.exec(shortError.message) ?? [];
  // Its deadline (1 s) plus one request's timeout, with slack for a loaded machine: not the other caller's 4 s.
  expect(Number(a ?? b)).toBeLessThan(3);
});

test("waiting for another operation on the same target counts against the deadline", async () => {
  await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "latency", latencyMs: 5_000, times: 1 }]);
  const slow = provider.create({ instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION } as never);
  await eventually("the slow Join on the wire", async () => ((await emulator.stats()).actions.JoinSecurityGroup ?? 0) === 1);
  const err = await failureOf(
    provider.create({ instanceId: IDS.running, securityGroupId: IDS.sgDb, regionId: REGION, operationTimeoutSeconds: 1 } as never),
  );
  expect(err.message).toMatch(/^Waited \d+\.\ds for this run's other changes to instance i-bp1running and reached the operation's deadline/);
  await slow;
});

test("an endpoint that always promises another page: the read stops at the first answer that brings nothing new", async () => {
  const endless = await webServer(
    200,
    "application/json",
    JSON.stringify({
      RequestId: "0A1B2C3D-0000-4000-8000-000000000000",
      TotalCount: 1_000_000,
      PageNumber: 1,
      PageSize: 100,
      Instances: { Instance: [{ InstanceId: "i-bp1someoneelse", Status: "Running", SecurityGroupIds: { SecurityGroupId: [IDS.sgDb] } }] },
    }),
  );
  try {
    const reader = await configuredProvider(stackConfig(endless.url));
    expect((await reader.read("m", dbOf(IDS.stopped, 2))).id).toBe("");
    // The group's listing (one page, incomplete), then one targeted read that found nothing new.
    expect(endless.hits()).toBe(2);
  } finally {
    await endless.close();
  }
});
