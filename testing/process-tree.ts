/**
 * The processes a process started, and theirs, read from /proc: the Pulumi CLI starts its language host and plugins
 * in process groups of their own, so killing the CLI's group alone leaves them running (each dynamic-provider plugin
 * holds about 110 MB until someone kills it by hand).
 */
import { readdirSync, readFileSync } from "fs";

/** State and parent from /proc/PID/stat; undefined once the process is gone. */
function statOf(pid: number): { state: string; parent: number } | undefined {
  try {
    // The command name, in parentheses, may hold spaces: the fields after its closing parenthesis are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state = "", parent = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state, parent: Number(parent) };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root`, children before grandchildren. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = statOf(pid)?.parent;
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length > 0;) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** Running, or sleeping: a zombie (exited, not yet reaped by whoever adopted it) holds no memory and runs nothing. */
export function isAlive(pid: number): boolean {
  const state = statOf(pid)?.state;
  return state !== undefined && state !== "Z" && state !== "X";
}

/** SIGKILL to `pid`'s process group and to every process it started, as a power cut or a CI timeout would. */
export function killTree(pid: number): void {
  const descendants = descendantsOf(pid);
  for (const target of [-pid, ...descendants]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
