/**
 * The fault matrix through the real Pulumi CLI (see testing/fault-scenarios.ts): for each kind of trouble, and
 * for `pulumi up` and `pulumi destroy` killed at five moments (among them while the CLI writes its checkpoint) and
 * recovered as the README says, a stack of I instances × G groups goes up and down on a fresh emulator world. Kills
 * land at a different point each time, so each kill row runs --kill-runs times (5 by default), every other row --runs
 * times. Prints fault, runs, converged, ECS calls and time per run; exits non-zero if any run did not converge.
 *
 *   npm run bench:faults -- [--runs 1] [--kill-runs 5] [--instances 10] [--groups 5]
 */
import { FAULT_KEY, FAULT_MATRIX, faultWorld, runScenario, startFaultEmulator, type ScenarioOutcome } from "../testing/fault-scenarios";
import { locatePulumi } from "../testing/pulumi-cli";
import { ThrowawayStack } from "../testing/throwaway-stack";
import { parseOptions, printTable } from "./table";

const USAGE = "Usage: npm run bench:faults -- [--runs 1] [--kill-runs 5] [--instances 10] [--groups 5]";

function meanCalls(outcomes: ScenarioOutcome[]): string {
  const totals: Record<string, number> = {};
  for (const outcome of outcomes) for (const [action, count] of Object.entries(outcome.calls)) totals[action] = (totals[action] ?? 0) + count;
  const short = (action: string) => action.replace("SecurityGroup", "").replace("Describe", "Describe ").replace("Instances", "Inst.");
  return Object.entries(totals)
    .map(([action, total]) => `${short(action)} ${Math.round(total / outcomes.length)}`)
    .join(", ");
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { runs: 1, killRuns: 5, instances: 10, groups: 5 }, { usage: USAGE });
  locatePulumi();
  console.log(
    `bench:faults: ${options.instances} instances × ${options.groups} groups = ${options.instances * options.groups} memberships, ${options.runs} run(s) per row, ${options.killRuns} per kill row`,
  );
  const rows: string[][] = [];
  const failures: string[] = [];
  for (const [index, scenario] of FAULT_MATRIX.entries()) {
    const outcomes: ScenarioOutcome[] = [];
    const runs = scenario.kill ? options.killRuns : options.runs;
    for (let run = 0; run < runs; run++) {
      const world = faultWorld(options.instances, options.groups);
      const emulator = await startFaultEmulator(world);
      const stack = await ThrowawayStack.create({
        name: `faults-${index}-${run}-${process.pid}`,
        example: "fleet",
        endpoint: emulator.url,
        credentials: FAULT_KEY,
        config: world.config,
      });
      try {
        const outcome = await runScenario(stack, emulator, world, scenario);
        outcomes.push(outcome);
        failures.push(...outcome.problems.map((p) => `${scenario.name}, run ${run + 1}: ${p}`));
        console.log(`  ${scenario.name}, run ${run + 1}: ${outcome.converged ? "converged" : "DID NOT CONVERGE"} in ${outcome.seconds.toFixed(1)} s`);
      } finally {
        stack.remove();
        await emulator.close();
      }
    }
    const converged = outcomes.filter((o) => o.converged).length;
    const seconds = outcomes.reduce((sum, o) => sum + o.seconds, 0) / outcomes.length;
    rows.push([scenario.name, String(outcomes.length), `${converged}/${outcomes.length}`, meanCalls(outcomes), seconds.toFixed(1)]);
  }
  console.log("");
  printTable(["fault", "runs", "converged", "ECS calls per run (mean)", "time s (mean)"], rows);
  if (failures.length > 0) {
    console.error(`\nbench:faults: not every run converged:\n${failures.join("\n")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
