import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * One emulator per state file: two writing the same file would each overwrite the other's changes (an acknowledged Join
 * could vanish). Node has no flock(), so the lock is a file beside the state, `<state>.lock`, holding the owner's PID.
 * It is created atomically with its content (written to a temp file, then hard-linked to the lock's name, which fails
 * if the name exists) and removed on close. A lock whose PID is no longer alive is stale (a killed run) and is taken
 * over; a PID reused by an unrelated process keeps the file locked until the lock file is removed by hand.
 */
export class StateFileLock {
  private constructor(private readonly lockPath: string) {}

  static acquire(statePath: string): StateFileLock {
    const lockPath = `${statePath}.lock`;
    if (tryCreate(lockPath)) return new StateFileLock(lockPath);
    const owner = ownerOf(lockPath);
    if (owner !== undefined && isAlive(owner)) {
      throw new Error(
        `state file ${statePath} is in use by another ECS emulator (PID ${owner}); stop it first, ` +
          `or remove ${lockPath} if no emulator runs with that PID`,
      );
    }
    fs.rmSync(lockPath, { force: true });
    if (tryCreate(lockPath)) return new StateFileLock(lockPath);
    throw new Error(`state file ${statePath} is in use by another ECS emulator that started at the same time (${lockPath})`);
  }

  release(): void {
    fs.rmSync(this.lockPath, { force: true });
  }
}

function tryCreate(lockPath: string): boolean {
  // Named like the state file's own temp files, so a killed run's leftover is cleaned up with them.
  const temp = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.${randomBytes(12).toString("hex")}.tmp`);
  fs.writeFileSync(temp, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
  try {
    fs.linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** The PID in the lock file; undefined when it holds none (then it cannot be anyone's: the content is written before
 *  the lock's name exists). */
function ownerOf(lockPath: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockPath, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just is not ours to signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
