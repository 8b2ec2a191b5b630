/**
 * The Go toolchain, for the Go SDK (sdk/go) and the Go example (examples/go): found on PATH or failing with the way to
 * get it, and run to its exit with its output kept for the error.
 */
import { accessSync, constants } from "fs";
import * as path from "path";
import { runToExit } from "./processes";

function onPath(program: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Runs `command` (go, or a script that runs it) in `cwd`; rejects with its output unless it exits 0. */
export async function runGoTool(command: string[], cwd: string): Promise<string> {
  if (!onPath("go")) throw new Error("`go` was not found on PATH: install Go >= 1.25 (https://go.dev/dl/) with access to a Go module proxy.");
  const run = await runToExit(command, { cwd });
  const code = await run.exited;
  if (code !== 0) throw new Error(`\`${command.join(" ")}\` in ${cwd} exited with ${code}:\n${run.stdout()}\n${run.stderr()}`);
  return run.stdout();
}
