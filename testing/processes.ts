/**
 * Programs started as users start them, in processes (and process groups) of their own: their output collected, their
 * ready line awaited, their exit observed. The ECS emulator's CLI is the main one; the benchmarks' baseline server
 * and the CLI's own tests use the same parts.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "./pulumi-cli";

export const EMULATOR_CLI = path.join(REPO_ROOT, "dist", "emulator", "cli.js");
/** The ready line; started without --seed, it names the default world after the URL. */
const EMULATOR_READY = /^ECS emulator listening on (http:\/\/\S+)(?: \(default world: .*\))?$/;
const READY_TIMEOUT_MS = 30_000;

export interface ProcessRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts `command` in a process group of its own, so a launcher in front of a program (npx) is stopped with it. */
export function runProcess(command: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ProcessRun {
  const [program, ...args] = command;
  const child = spawn(program!, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs a command that ends by itself (not a server) to its exit. */
export async function runToExit(command: string[], options: { cwd?: string } = {}): Promise<ProcessRun> {
  const run = runProcess(command, options);
  await run.exited;
  return run;
}

/** The first capture of the first stdout line matching `ready`; fails when the process exits or stays silent first. */
export function readyUrl(run: ProcessRun, ready: RegExp = EMULATOR_READY): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${READY_TIMEOUT_MS} ms:\n${run.stderr()}`)), READY_TIMEOUT_MS);
    const check = () => {
      for (const line of run.stdout().split("\n").slice(0, -1)) {
        const match = ready.exec(line.trim());
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
          return;
        }
      }
    };
    run.child.stdout!.on("data", check);
    void run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the process exited (${code}) before it was ready:\n${run.stderr()}`));
    });
    check();
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** `signal` to the process group, then SIGKILL if it is still there after `graceMs`. */
export async function stopProcess(run: ProcessRun, signal: NodeJS.Signals = "SIGTERM", graceMs = 5_000): Promise<number | null> {
  signalGroup(run.child, signal);
  const timer = setTimeout(() => signalGroup(run.child, "SIGKILL"), graceMs);
  const code = await run.exited;
  clearTimeout(timer);
  return code;
}

export interface EmulatorProcess {
  url: string;
  stop(): Promise<void>;
}

/** How to start the emulator's CLI: by default this repository's build; a consumer test passes `npx ecs-emulator`. */
export interface EmulatorCommand {
  command: string[];
  cwd?: string;
}

export async function startEmulatorProcess(
  seedPath: string,
  how: EmulatorCommand = { command: [process.execPath, EMULATOR_CLI] },
): Promise<EmulatorProcess> {
  const run = runProcess([...how.command, "--seed", seedPath, "--port", "0"], { cwd: how.cwd });
  try {
    const url = await readyUrl(run);
    return { url, stop: async () => void (await stopProcess(run)) };
  } catch (error) {
    await stopProcess(run, "SIGKILL");
    throw new Error(`The ECS emulator did not start: ${(error as Error).message}`, { cause: error });
  }
}
