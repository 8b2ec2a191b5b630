/**
 * ECS's ambiguity through the real CLI (a small cut of `npm run bench:faults`): writes carried out behind lost answers,
 * carried out late, and reads that lag behind, all at once, and still up and destroy converge; and a Join whose
 * answer never comes in time: the update fails, but the stack keeps the membership and the next update completes it.
 */
import { emulatorAdmin, type RunningEmulator } from "../../emulator";
import { FAULT_KEY, faultWorld, runScenario, startFaultEmulator, type FaultWorld } from "../../testing/fault-scenarios";
import { membershipsOf } from "../../testing/memberships";
import { locatePulumi } from "../../testing/pulumi-cli";
import { ThrowawayStack } from "../../testing/throwaway-stack";
import { eventually } from "../../testing/wait";
import { PULUMI_TEST_TIMEOUT_MS } from "../../testing/example-world";

const opened: { stack?: ThrowawayStack; emulator: RunningEmulator }[] = [];
afterAll(async () => {
  for (const { stack, emulator } of opened) {
    stack?.remove();
    await emulator.close();
  }
});

async function fleetOn(
  world: FaultWorld,
  name: string,
  config: Record<string, string> = {},
): Promise<{ stack: ThrowawayStack; emulator: RunningEmulator }> {
  locatePulumi();
  const emulator = await startFaultEmulator(world);
  const entry: { stack?: ThrowawayStack; emulator: RunningEmulator } = { emulator };
  opened.push(entry);
  entry.stack = await ThrowawayStack.create({
    name: `e2e-${name}-${process.pid}`,
    example: "fleet",
    endpoint: emulator.url,
    credentials: FAULT_KEY,
    config: { ...world.config, ...config },
  });
  return { stack: entry.stack, emulator };
}

test(
  "writes carried out behind a 504 or a dropped connection or late, and lagging reads: up and destroy converge",
  async () => {
    const world = faultWorld(3, 2);
    const { stack, emulator } = await fleetOn(world, "ambiguity");
    const ambiguous = (kind: string, extra = {}) =>
      ["JoinSecurityGroup", "LeaveSecurityGroup"].map((action) => ({ action, kind, probability: 0.2, ...extra }));
    const outcome = await runScenario(stack, emulator, world, {
      name: "ambiguity",
      settings: { readAfterWriteLagMs: 300 },
      faults: [
        ...ambiguous("timeout-after-apply"),
        ...ambiguous("drop-after-apply"),
        ...ambiguous("timeout-then-apply", { applyAfterMs: 100 }),
      ] as never,
    });
    expect(outcome.problems).toEqual([]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a Join whose answer never comes in time: up fails, the stack keeps the membership, the next up completes it",
  async () => {
    const world = faultWorld(2, 1);
    const [stuck] = world.instances;
    const { stack, emulator } = await fleetOn(world, "unconfirmed", { "sg-membership-examples:fleetOperationTimeoutSeconds": "1" });
    const admin = emulatorAdmin(emulator.url);
    await admin.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 2_500, target: stuck! }]);

    const failed = await stack.up({ allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/ECS may still carry out one of these calls, so the membership is kept in the stack/);
    const kept = (JSON.parse(await stack.exportState()).deployment.resources as { id?: string; initErrors?: string[] }[]).find(
      (r) => r.id === `${stuck}:${world.groups[0]}`,
    );
    expect(kept?.initErrors?.length).toBeGreaterThan(0);

    await eventually("the late Join to land", async () => membershipsOf(await admin.state())[stuck!]!.includes(world.groups[0]!), 30_000);
    await admin.clearFaults();
    const joins = (await admin.stats()).actions.JoinSecurityGroup ?? 0;
    await stack.up();
    expect(membershipsOf(await admin.state())).toEqual(world.declared);
    expect((await admin.stats()).actions.JoinSecurityGroup ?? 0).toBe(joins);

    await stack.destroy();
    expect(membershipsOf(await admin.state())).toEqual(world.original);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
