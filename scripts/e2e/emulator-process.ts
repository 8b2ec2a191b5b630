/**
 * The ECS emulator as users run it: its CLI in a process of its own, on a free port, stopped with SIGTERM.
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

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const done = exited(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await done;
  clearTimeout(timer);
}

export function startEmulatorProcess(seedPath: string): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [EMULATOR_CLI, "--seed", seedPath, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
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
