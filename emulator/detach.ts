/**
 * `ecs-emulator --detach`: the emulator runs on in a process of its own, in the background, and the command returns
 * once it listens, after printing what the emulator printed by then (the ready line, the admin token if asked for, and the console line).
 * So a script, or a reader copying the docs, can go on to call it at once, and stop it later by its PID file.
 */
import { spawn } from "node:child_process";

/** Set for the emulator a detaching command starts: its output goes nowhere once that command has returned. */
export const DETACHED_ENV = "ECS_EMULATOR_DETACHED";

/** The last line the emulator prints once it listens (after the ready line, and the token line if asked for). */
const CONSOLE_LINE = /^ECS emulator console: .*\n/m;

/** What the emulator printed up to the point the command may return: the ready line, the token line, the console line. */
function readyOutput(stdout: string): string | undefined {
  const last = CONSOLE_LINE.exec(stdout);
  return last ? stdout.slice(0, last.index + last[0].length) : undefined;
}

/** Starts the emulator with `args` in the background; resolves (and exits) once it listens, or exits as it failed. */
export function detach(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [process.argv[1]!, ...args], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, [DETACHED_ENV]: "1" },
  });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve) => {
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const output = readyOutput(stdout);
      if (output === undefined) return;
      process.stdout.write(output);
      process.stderr.write(stderr);
      child.removeAllListeners("exit");
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
      resolve();
    });
    child.once("exit", (code) => {
      process.stderr.write(stderr);
      process.exit(code ?? 1);
    });
  });
}

/** In a detached emulator, writing to the pipes of a command that has returned must not stop the emulator. */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
}
