/**
 * The lock an interrupted run leaves behind on a file backend: each update writes
 * .pulumi/locks/organization/<project>/<stack>/<id>.json ({pid, username, hostname, timestamp}) and deletes it at the
 * end; a killed run never does, and every later update then refuses to start. A lock is cancelled (`pulumi cancel`)
 * only when its run is surely gone: a lock of a process still alive on this machine is another run, not an
 * interrupted one, and stops recovery.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import { hostname } from "os";
import * as path from "path";

export interface StackLock {
  file: string;
  /** Who held it, as the user would recognise the run; undefined when the lock file itself is unreadable. */
  holder?: { pid: number; username: string; hostname: string; timestamp: string };
}

export function stackLocks(locksDir: string): StackLock[] {
  if (!existsSync(locksDir)) return [];
  return readdirSync(locksDir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => {
      const file = path.join(locksDir, name);
      try {
        const held = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        const { pid, username, hostname: host, timestamp } = held;
        if (typeof pid !== "number" || typeof host !== "string") return { file };
        return { file, holder: { pid, username: String(username ?? "?"), hostname: host, timestamp: String(timestamp ?? "?") } };
      } catch {
        return { file };
      }
    });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the run holding `lock` is still running on this machine (then it is no interrupted run). */
export function heldByLiveRun(lock: StackLock, host = hostname()): boolean {
  return lock.holder !== undefined && lock.holder.hostname === host && isAlive(lock.holder.pid);
}

export function describeLock(lock: StackLock): string {
  const h = lock.holder;
  return h ? `pulumi run ${h.pid} of ${h.username}@${h.hostname}, started ${h.timestamp}` : `unreadable lock ${lock.file}`;
}
