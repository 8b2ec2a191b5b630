/**
 * How long the ECS emulator takes to start as the README starts it: `npx ecs-emulator` in a fresh project that installed
 * the packed package, from the command to its ready line (and, with --detach, to its return), beside the same start
 * without npx (node_modules/.bin) and a bare `node -e 0`, so what npx and the emulator each add can be told apart.
 * The first round warms the caches and is shown apart ("first"); the others are interleaved and summed up as median,
 * min and max. Exits non-zero if a start fails.
 *
 *   npm run bench:start -- [--runs 7]
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { createConsumerProject, packPackage } from "../testing/consumer-project";
import { readyUrl, runProcess, runToExit, stopProcess } from "../testing/processes";
import { parseOptions, printTable } from "./table";

const USAGE = "Usage: npm run bench:start -- [--runs 7]";

interface Variant {
  name: string;
  /** Starts it and resolves with the milliseconds until it is ready (or has returned), leaving nothing running. */
  time(project: string): Promise<number>;
}

const PID_FILE = "emulator.pid";

async function untilReady(command: string[], cwd: string): Promise<number> {
  const started = performance.now();
  const run = runProcess(command, { cwd });
  try {
    await readyUrl(run);
    return performance.now() - started;
  } finally {
    await stopProcess(run);
  }
}

/** The README's Install command: returns once the emulator listens; `stop` afterwards is timed on its own. */
async function detached(cwd: string): Promise<number> {
  const started = performance.now();
  const run = await runToExit(["npx", "ecs-emulator", "--port", "0", "--pid-file", PID_FILE, "--detach"], { cwd });
  const elapsed = performance.now() - started;
  if ((await run.exited) !== 0) throw new Error(`npx ecs-emulator --detach failed:\n${run.stderr()}`);
  return elapsed;
}

async function stop(cwd: string): Promise<number> {
  const started = performance.now();
  const run = await runToExit(["npx", "ecs-emulator", "stop", "--pid-file", PID_FILE], { cwd });
  if ((await run.exited) !== 0) throw new Error(`npx ecs-emulator stop failed:\n${run.stderr()}`);
  return performance.now() - started;
}

async function bareNode(cwd: string): Promise<number> {
  const started = performance.now();
  await runToExit([process.execPath, "-e", "0"], { cwd });
  return performance.now() - started;
}

const VARIANTS: Variant[] = [
  { name: "node -e 0 (a bare Node start)", time: bareNode },
  {
    name: "node_modules/.bin/ecs-emulator --port 0, to its ready line",
    time: (cwd) => untilReady([path.join("node_modules", ".bin", "ecs-emulator"), "--port", "0"], cwd),
  },
  { name: "npx ecs-emulator --port 0, to its ready line", time: (cwd) => untilReady(["npx", "ecs-emulator", "--port", "0"], cwd) },
  { name: "npx ecs-emulator … --detach, to its return", time: detached },
  { name: "npx ecs-emulator stop --pid-file …, to its return", time: stop },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const { runs } = parseOptions(process.argv.slice(2), { runs: 7 }, { usage: USAGE });
  const workDir = mkdtempSync(path.join(tmpdir(), "emulator-start-bench-"));
  const project = createConsumerProject({ name: "emulator-start-bench", tarball: packPackage(workDir), files: { "index.js": "" } });
  try {
    const times = VARIANTS.map(() => [] as number[]);
    for (let round = 0; round <= runs; round++) {
      for (const [i, variant] of VARIANTS.entries()) times[i]!.push(await variant.time(project.dir));
    }
    const baseline = median(times[1]!.slice(1));
    printTable(
      ["command (in a fresh project with the packed package)", "first s", "median s", "min s", "max s", "× .bin start"],
      VARIANTS.map((variant, i) => {
        const [first, ...rest] = times[i]!;
        return [
          variant.name,
          seconds(first!),
          seconds(median(rest)),
          seconds(Math.min(...rest)),
          seconds(Math.max(...rest)),
          (median(rest) / baseline).toFixed(2),
        ];
      }),
    );
    console.log(`\n${runs} runs of each after the first, interleaved; Node ${process.version}, npm from PATH.`);
  } finally {
    project.remove();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:start FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
