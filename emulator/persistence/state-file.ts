import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The state could not be saved: the change that was to be saved did not happen. */
export class SaveError extends Error {
  constructor(statePath: string, cause: unknown) {
    super(`could not save the state to ${statePath}, so the change was not made: ${(cause as Error).message}`);
    this.name = "SaveError";
  }
}

/** Writes `content` so that the file holds either the old or the new state whatever happens mid-write:
 *  a temp file in the same directory is written and fsynced, renamed over the target, then the directory is fsynced
 *  so the rename itself survives a crash. A write that fails removes its temp file. Synchronous on purpose: mutations
 *  are saved in the order they happened. */
export function writeFileDurably(target: string, content: string): void {
  const dir = path.dirname(target);
  // A random name, created exclusively: nothing planted in the directory (a symlink to another file, say) is written through.
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(12).toString("hex")}.tmp`);
  try {
    const fd = fs.openSync(temp, CREATE_NEW, 0o600);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  const dirFd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}

const CREATE_NEW = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

/** Temp files of `target` that a killed run left behind (only ever removed while holding the lock, so none is in use). */
export function removeStaleTempFiles(target: string): void {
  const prefix = `.${path.basename(target)}.`;
  const dir = path.dirname(target);
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith(".tmp")) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** The saved state, or undefined when there is none yet. Leftover temp files from a crash are never read. */
export function readStateFile(target: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(target, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`state file ${target} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
