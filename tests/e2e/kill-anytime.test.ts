/**
 * Killed at any moment: `pulumi up` and `pulumi destroy` of small stacks, killed outright at different moments (by the
 * share of ECS writes sent, and by the CLI's checkpoint writes, among them inside its rewrite of `<stack>.json.attrs`),
 * each followed by the README's one command. Every time, the world then holds exactly the program's memberships (after
 * up) or the original ones (after destroy), and no membership the stack does not declare (the bystander group) was
 * touched. The scenarios run in parallel, each on an emulator and backend of its own.
 */
import { faultWorld, FAULT_KEY, startFaultEmulator } from "../../testing/fault-scenarios";
import { describeMoment, killAt, type KillMoment } from "../../testing/kill-moments";
import { membershipDeviations, membershipsOf } from "../../testing/memberships";
import { locatePulumi } from "../../testing/pulumi-cli";
import { ThrowawayStack } from "../../testing/throwaway-stack";
import { emulatorAdmin, type FaultRule } from "../../emulator";

const SLOW_WRITES = ["JoinSecurityGroup", "LeaveSecurityGroup"].map((action) => ({ action, kind: "latency", latencyMs: 200 }) as FaultRule);

/** Each scenario kills its up at one moment and its destroy at another. */
const SCENARIOS: { up: KillMoment; destroy: KillMoment }[] = [
  { up: { after: "checkpoint-writes", count: 1 }, destroy: { after: "writes", share: 0.5 } },
  { up: { after: "writes", share: 0.5 }, destroy: { after: "checkpoint-writes", count: 4, emptyAttrs: true } },
  { up: { after: "checkpoint-writes", count: 3, emptyAttrs: true }, destroy: { after: "checkpoint-writes", count: 6 } },
];

async function scenario(index: number, moments: { up: KillMoment; destroy: KillMoment }): Promise<string[]> {
  const world = faultWorld(2, 2);
  const emulator = await startFaultEmulator(world);
  const admin = emulatorAdmin(emulator.url);
  let stack: ThrowawayStack | undefined;
  const problems: string[] = [];
  const check = async (step: string, expected: Record<string, string[]>) =>
    problems.push(...membershipDeviations(membershipsOf(await admin.state()), expected).map((d) => `scenario ${index + 1}, ${step}: ${d}`));
  try {
    stack = await ThrowawayStack.create({
      name: `e2e-kill-${index}-${process.pid}`,
      example: "fleet",
      endpoint: emulator.url,
      credentials: FAULT_KEY,
      config: world.config,
    });
    await admin.setFaults(SLOW_WRITES);
    const writes = world.instances.length * world.groups.length;
    for (const command of ["up", "destroy"] as const) {
      const moment = moments[command];
      const { killed } = await killAt(stack, emulator.url, command, moment, writes);
      if (!killed) problems.push(`scenario ${index + 1}: ${command} finished before the kill ${describeMoment(moment)}`);
      await stack.recover({ destroy: command === "destroy" });
      await check(`after ${command} killed ${describeMoment(moment)} and recovered`, command === "up" ? world.declared : world.original);
    }
  } catch (error) {
    problems.push(`scenario ${index + 1}: ${(error as Error).message.split("\n").slice(0, 12).join("\n")}`);
  } finally {
    stack?.remove();
    await emulator.close();
  }
  return problems;
}

test("up and destroy killed at many moments: the one command converges every time, touching nothing else", async () => {
  locatePulumi();
  const problems = (await Promise.all(SCENARIOS.map((moments, i) => scenario(i, moments)))).flat();
  expect(problems).toEqual([]);
}, 300_000);
