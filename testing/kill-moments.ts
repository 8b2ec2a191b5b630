/**
 * Kills `pulumi up` or `pulumi destroy` (its whole process group, as a CI timeout or a power cut would) at a chosen
 * moment: once a share of its ECS writes has been sent, or on its n-th write of the stack's checkpoint, watched with
 * fs.watch on the backend's files. A kill inside the CLI's rewrite of `<stack>.json.attrs` (between os.Create and the
 * one write that follows, microseconds apart) cannot be timed from outside; `emptyAttrs` leaves exactly what such a
 * kill leaves (an empty .attrs beside the previous, whole checkpoint) right after a kill timed by a checkpoint write.
 */
import { watch, writeFileSync } from "fs";
import * as path from "path";
import { emulatorAdmin } from "../emulator";
import type { ThrowawayStack } from "./throwaway-stack";
import { eventually } from "./wait";

export type KillMoment = { after: "writes"; share: number } | { after: "checkpoint-writes"; count: number; emptyAttrs?: boolean };

export function describeMoment(moment: KillMoment): string {
  if (moment.after === "writes") return `after ${Math.round(moment.share * 100)}% of its writes`;
  const nth = `on its checkpoint write ${moment.count}`;
  return moment.emptyAttrs ? `${nth}, inside the .attrs rewrite` : nth;
}

export interface KillOutcome {
  /** False when the run finished before the moment came (then nothing was interrupted). */
  killed: boolean;
}

async function writesSent(url: string, action: string): Promise<number> {
  return (await emulatorAdmin(url).stats()).actions[action] ?? 0;
}

/** Starts `command` on `stack` and kills it at `moment`; `writes` is how many Joins (up) or Leaves (destroy) it would send. */
export async function killAt(
  stack: ThrowawayStack,
  emulatorUrl: string,
  command: "up" | "destroy",
  moment: KillMoment,
  writes: number,
): Promise<KillOutcome> {
  const action = command === "up" ? "JoinSecurityGroup" : "LeaveSecurityGroup";
  const before = await writesSent(emulatorUrl, action);
  const checkpoint = stack.checkpointFile();
  const attrs = `${path.basename(checkpoint)}.attrs`;
  let seen = 0;
  let killed = false;
  let finished = false;
  const run = stack.start([command]);
  const kill = () => {
    if (killed || finished) return;
    killed = true;
    run.killAll();
  };
  // Each checkpoint write rewrites the .attrs file first; the kill is sent from inside the event, as early as possible.
  const watcher =
    moment.after === "checkpoint-writes"
      ? watch(path.dirname(checkpoint), (_event, file) => {
          if (file === attrs && ++seen >= moment.count) kill();
        })
      : undefined;
  void run.done.then(() => (finished = true));
  try {
    if (moment.after === "writes") {
      const target = Math.max(1, Math.round(moment.share * writes));
      await eventually(`${target} ${action} calls`, async () => finished || (await writesSent(emulatorUrl, action)) - before >= target, 5 * 60_000);
      kill();
    }
    await run.done;
  } finally {
    watcher?.close();
  }
  if (killed && moment.after === "checkpoint-writes" && moment.emptyAttrs) writeFileSync(`${checkpoint}.attrs`, "");
  return { killed };
}
