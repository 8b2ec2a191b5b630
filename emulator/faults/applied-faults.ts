import { EcsError } from "../models";
import type { TerminalFault } from "./fault-injector";

/**
 * The ambiguous faults: a mutating action is carried out although the client gets no answer it can trust (ECS's
 * gateway timed out, or the connection broke, after or before the back end did the work). For a read they are plain
 * timeouts and drops: there is nothing to carry out.
 */
export function applyBehindFault(fault: TerminalFault, apply: () => void, later: (ms: number, task: () => void) => void): void {
  switch (fault.kind) {
    case "timeout-after-apply":
    case "drop-after-apply":
      applyQuietly(apply);
      return;
    case "timeout-then-apply":
      // Runs against the world as it is then: if the action fails by then (say, the target already joined), nothing happens.
      later(fault.applyAfterMs ?? 0, () => applyQuietly(apply));
      return;
    default:
      return;
  }
}

/** Nobody is waiting for the answer: an ECS error means the action did nothing; anything else is a bug worth a line on stderr. */
function applyQuietly(apply: () => void): void {
  try {
    apply();
  } catch (error) {
    if (!(error instanceof EcsError)) console.error("ecs-emulator: an action carried out behind a fault failed", error);
  }
}
