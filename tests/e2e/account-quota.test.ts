/**
 * Stacks under the account's flow control (ECS's Throttling.User per account, action and region in calendar windows),
 * through the real CLI. The emulator's window is shortened to 3 s, and the provider is told the same
 * (SG_MEMBERSHIP_QUOTA_WINDOW_MS), so a fleet of Joins needs several windows without the test waiting minutes.
 */
import { QUOTA_WINDOW_ENV } from "../../provider/calls/account-quota";
import { QUOTA_CONFIG_KEY, QUOTA_RESERVE_CONFIG_KEY } from "../../provider/membership/quota-settings";
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";
import { type Diagnostic, diagnosticsByResource } from "../../testing/pulumi-output";

const WINDOW_MS = 3_000;
const PER_WINDOW = 4;
const INSTANCES = ["i-bp1fleet01", "i-bp1fleet02", "i-bp1fleet03", "i-bp1fleet04", "i-bp1fleet05", "i-bp1fleet06"];
const GROUPS = ["sg-bp1fleet1", "sg-bp1fleet2"];
const env = { [QUOTA_WINDOW_ENV]: String(WINDOW_MS) };
const fleetConfig = (instances: string[]) => ({
  "sg-membership-examples:fleetInstanceIds": JSON.stringify(instances),
  "sg-membership-examples:fleetGroupIds": JSON.stringify(GROUPS),
});
const fleetIn = (instances: string[], groups: string[]) => Object.fromEntries(instances.map((id) => [id, [...groups].sort()]));

const world = useExampleWorld("fleet");

beforeEach(async () => {
  await world().emulator.setFlowControl({
    flowControl: { JoinSecurityGroup: PER_WINDOW, LeaveSecurityGroup: PER_WINDOW },
    flowControlWindowMs: WINDOW_MS,
  });
  await world().emulator.resetStats();
});

async function calls(action: string): Promise<{ made: number; passed: number; refused: number }> {
  const stats = await world().emulator.stats();
  const made = stats.actions[action] ?? 0;
  const refused = stats.refused[action] ?? 0;
  return { made, passed: made - refused, refused };
}

const joins = () => calls("JoinSecurityGroup");

/** The end-of-run summary's lines for `action`, with the figures they give. */
function summaryLines(messages: string[], action: string): { refused: number; made: number }[] {
  const line = new RegExp(
    `throttled by the account's ${action} quota in cn-hangzhou: (\\d+) calls refused, [^,]+ waiting for the next window, (\\d+) calls made`,
  );
  return messages.flatMap((message) => {
    const match = line.exec(message);
    return match ? [{ refused: Number(match[1]), made: Number(match[2]) }] : [];
  });
}

/** The quota's waiting lines, by the resource they are shown against. */
function waitLinesByResource(diagnostics: Diagnostic[], action: string): Map<string, number> {
  const lines = new Map<string, number>();
  for (const { urn, message } of diagnostics) {
    if (urn && message.includes(`waiting for the account's ${action} quota`)) lines.set(urn, (lines.get(urn) ?? 0) + 1);
  }
  return lines;
}

test(
  "quota unknown: 12 Joins under 4 a window converge, refused only while the pace is learned, each waiting resource told once",
  async () => {
    const stack = await world().stack("quota-learned", { config: fleetConfig(INSTANCES), env });
    const diagnostics = await stack.upDiagnostics();

    expect(await world().memberships()).toMatchObject(fleetIn(INSTANCES, ["sg-bp1base", ...GROUPS]));
    const { passed, refused } = await joins();
    expect(passed).toBe(INSTANCES.length * GROUPS.length);
    // The first window's calls were all in flight before any refusal came back: those past the quota are refused once.
    // After that, the learned pace leaves at most one probe a window refused (10% of what passed, rounded up).
    const firstWindowSurplus = passed - PER_WINDOW;
    expect(refused).toBeLessThanOrEqual(firstWindowSurplus + Math.ceil(passed / 10));
    const waits = waitLinesByResource(diagnostics, "JoinSecurityGroup");
    expect(waits.size).toBeGreaterThan(0);
    expect([...waits.values()].every((count) => count === 1)).toBe(true);
    // At the end of the run, once, shown against the stack: what the account's quota cost, as ECS counted it.
    const { made } = await joins();
    expect(
      summaryLines(
        diagnostics.map((d) => d.message),
        "JoinSecurityGroup",
      ),
    ).toEqual([{ refused, made }]);

    await world().emulator.resetStats();
    const destroyed = await stack.destroy();
    expect(await world().memberships()).toMatchObject(fleetIn(INSTANCES, ["sg-bp1base"]));
    // The display a user reads: the Leaves' summary once in its Diagnostics, with the emulator's counts.
    const leaves = await calls("LeaveSecurityGroup");
    expect(leaves.refused).toBeGreaterThan(0);
    const shown = Object.values(diagnosticsByResource(destroyed.stdout)).join("\n").split("\n");
    expect(summaryLines(shown, "LeaveSecurityGroup")).toEqual([{ refused: leaves.refused, made: leaves.made }]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "quota stated (apiQuota): never refused",
  async () => {
    // A quarter left for others: a call sent as a window ends may be counted in the next, as on ECS.
    const config = {
      ...fleetConfig(INSTANCES),
      [QUOTA_CONFIG_KEY]: `JoinSecurityGroup=${PER_WINDOW},LeaveSecurityGroup=${PER_WINDOW}`,
      [QUOTA_RESERVE_CONFIG_KEY]: "0.25",
    };
    const stack = await world().stack("quota-stated", { config, env });
    await stack.up();
    expect(await world().memberships()).toMatchObject(fleetIn(INSTANCES, ["sg-bp1base", ...GROUPS]));
    await stack.destroy();
    expect(await world().memberships()).toMatchObject(fleetIn(INSTANCES, ["sg-bp1base"]));
    expect((await world().emulator.stats()).refused).toEqual({});
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "three stacks at once over disjoint instances share the account's quota, and all converge",
  async () => {
    const shares = [INSTANCES.slice(0, 2), INSTANCES.slice(2, 4), INSTANCES.slice(4, 6)];
    const stacks = await Promise.all(shares.map((instances, i) => world().stack(`quota-shared${i}`, { config: fleetConfig(instances), env })));
    await Promise.all(stacks.map((stack) => stack.up()));
    expect(await world().memberships()).toMatchObject(fleetIn(INSTANCES, ["sg-bp1base", ...GROUPS]));
    expect((await joins()).passed).toBe(INSTANCES.length * GROUPS.length);

    await Promise.all(stacks.map((stack) => stack.destroy()));
    expect(await world().memberships()).toMatchObject(fleetIn(INSTANCES, ["sg-bp1base"]));
  },
  PULUMI_TEST_TIMEOUT_MS * 2,
);
