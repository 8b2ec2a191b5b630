/**
 * `npm run demo` (USAGE says what it shows). It removes its stack and stops the emulator on every path, a signal
 * included, so an interrupted demo leaves nothing running and no stack behind.
 */
import { readFileSync } from "fs";
import type { Seed } from "../emulator";
import { BASIC_SEED, runBasicFlow } from "../testing/basic-flow";
import { startEmulatorProcess } from "../testing/processes";
import { formatTable } from "../testing/memberships";
import { interruptPulumiRuns, type PulumiResult } from "../testing/pulumi-cli";
import { seedKey } from "../testing/credentials";
import { runSummary } from "../testing/pulumi-output";
import { ThrowawayStack } from "../testing/throwaway-stack";

const USAGE = `Usage: npm run demo   (or, once built and with Pulumi installed: node dist/scripts/demo.js)

Runs the basic example (examples/basic) through the real Pulumi CLI against an ECS emulator it starts, in a throwaway
stack it removes afterwards: up, a membership removed out of band, preview showing the drift, up restoring it, refresh,
destroy, with each command's summary and a table of the memberships the emulator holds after each step. Exits non-zero
if any step deviates.
Takes no options besides -h, --help (this text).`;

/**
 * What the engine said about a successful update, refresh or destroy (a failure's output is in the error): its summary,
 * each message once; the table after each step shows what changed.
 */
function engineOutput(result: PulumiResult): string {
  const engineCommand = /^pulumi (up|refresh|destroy) /.test(result.command);
  return engineCommand && result.code === 0 ? runSummary(result.stdout) : "";
}

async function main(): Promise<void> {
  const credentials = seedKey(JSON.parse(readFileSync(BASIC_SEED, "utf8")) as Seed);
  const emulator = await startEmulatorProcess(BASIC_SEED);
  console.log(`ECS emulator (examples/basic/seed.json) at ${emulator.url}`);
  console.log(`Watch it in a browser: ${emulator.url}/_emulator/console`);
  let stack: ThrowawayStack | undefined;
  // Once, whether the flow ends or a signal comes first (the interrupted flow's own finally then joins the same one).
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      try {
        stack?.remove();
      } finally {
        await emulator.stop();
      }
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(
      signal,
      () =>
        void interruptPulumiRuns()
          .then(cleanUp)
          .finally(() => process.exit(130)),
    );
  }
  try {
    stack = await ThrowawayStack.create({
      name: `demo-${process.pid}`,
      example: "basic",
      endpoint: emulator.url,
      credentials,
      onCommand: (result, seconds) => console.log(`\n$ ${result.command}   (exit ${result.code}, ${seconds.toFixed(1)} s)\n${engineOutput(result)}`),
    });
    await runBasicFlow({
      stack,
      emulatorUrl: emulator.url,
      credentials,
      onStep: (record) => console.log(formatTable(record.step, record.memberships, record.detail)),
    });
    console.log("\ndemo: every step did what it should.");
  } finally {
    await cleanUp();
  }
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
} else if (args.length > 0) {
  console.error(`demo: unexpected argument ${args[0]}\n${USAGE}`);
  process.exitCode = 2;
} else {
  main().catch((error: unknown) => {
    console.error(`\ndemo FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
