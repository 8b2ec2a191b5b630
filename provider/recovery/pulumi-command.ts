/**
 * The `pulumi` commands recovery runs, in the user's environment (their PATH's pulumi, their backend login). Output is
 * either shown as it comes (the up or destroy the user is waiting for) or captured, to be read or to explain a failure.
 */
import { spawnSync } from "child_process";

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function pulumi(args: readonly string[], output: "show" | "capture"): CommandResult {
  const run = spawnSync("pulumi", args, {
    stdio: output === "show" ? "inherit" : ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: process.env,
  });
  if (run.error) throw new Error(`could not run pulumi: ${run.error.message}`);
  return { status: run.status ?? 1, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
}

/** A failed command's own words, for a message that says why recovery stopped. */
export function failureText(result: CommandResult): string {
  return (result.stderr.trim() || result.stdout.trim() || `exit code ${result.status}`).split("\n").slice(-6).join("\n");
}
