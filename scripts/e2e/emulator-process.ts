/**
 * The ECS emulator as users run it: its CLI in a process of its own (and process group, so a launcher such as
 * `npx` in front of it is stopped with it), on a free port, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { createInterface } from "readline";
import { REPO_ROOT } from "./pulumi-cli";

const EMULATOR_CLI = path.join(REPO_ROOT, "dist", "emulator", "cli.js");
const READY = /^ECS emulator listening on (http:\/\/\S+)$/;
const READY_TIMEOUT_MS = 30_000;

export interface EmulatorProcess {
  url: string;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const done = exited(child);
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await done;
  clearTimeout(timer);
}

/** How to start the CLI: by default this repository's build; a consumer test passes `npx ecs-emulator` and its project. */
export interface EmulatorCommand {
  command: string[];
  cwd?: string;
}

export function startEmulatorProcess(seedPath: string, how: EmulatorCommand = { command: [process.execPath, EMULATOR_CLI] }): Promise<EmulatorProcess> {
  const [program, ...args] = how.command;
  const child = spawn(program!, [...args, "--seed", seedPath, "--port", "0"], { cwd: how.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const stderr: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stopChild(child, 2_000).then(() => reject(new Error(`The ECS emulator did not start: ${why}\n${stderr.join("")}`)));
    };
    const timer = setTimeout(() => fail(`no "ECS emulator listening on" line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`it exited (${signal ?? code})`));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = READY.exec(line.trim());
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ url: match[1]!, stop: () => stopChild(child, 5_000) });
    });
  });
}
