/**
 * Repairs exactly what keeps a file backend's stack from opening, and nothing else, keeping a copy of whatever it
 * replaces (`<file>.damaged-<time>`), so a repair can always be undone by hand:
 *
 * - the checkpoint is whole but its metadata file is damaged: the metadata file is set aside (fileblob reads a blob
 *   without one, and the CLI writes a fresh one with its next checkpoint);
 * - the checkpoint is damaged: it is replaced by the newest readable earlier checkpoint: <stack>.json.bak (the
 *   checkpoint before the last write), then .pulumi/history (each finished update's), then .pulumi/backups.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import { ATTRS, attrsState, checkpointState, isDamaged } from "./checkpoint-files";
import type { StackFiles } from "./stack-files";

export interface Repair {
  /** What was found and done, for the user. */
  said: string[];
  changed: boolean;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

/** Moves `file` aside under a name that says why and when; returns the new name. */
function setAside(file: string, when: string): string {
  const aside = `${file}.damaged-${when}`;
  renameSync(file, aside);
  return aside;
}

/** Earlier checkpoints, newest first: .bak, then history's, then backups' (their names carry Unix nanoseconds). */
export function earlierCheckpoints(files: StackFiles): string[] {
  const newestFirst = (dir: string, pattern: RegExp): string[] => {
    if (!existsSync(dir)) return [];
    const found = readdirSync(dir).flatMap((name) => {
      const match = pattern.exec(name);
      return match ? [{ file: path.join(dir, name), at: BigInt(match[1]!) }] : [];
    });
    return found.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((f) => f.file);
  };
  const name = files.stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return [
    `${files.checkpoint}.bak`,
    ...newestFirst(files.historyDir, new RegExp(`^${name}-(\\d+)\\.checkpoint\\.json(\\.gz|\\.zst)?$`)),
    ...newestFirst(files.backupsDir, new RegExp(`^${name}\\.(\\d+)\\.json(\\.gz|\\.zst)?$`)),
  ];
}

/** Writes `bytes` to `file` as fileblob does: a temporary file renamed over it, so no reader sees half of it. */
function replaceAtomically(file: string, bytes: Buffer): void {
  const temp = `${file}.${process.pid}.recover.tmp`;
  writeFileSync(temp, bytes, { mode: 0o644 });
  renameSync(temp, file);
}

export function repairStackFiles(files: StackFiles): Repair {
  const checkpoint = checkpointState(files.checkpoint);
  const attrs = attrsState(files.checkpoint);
  const when = stamp();
  if (checkpoint === "missing") {
    throw new Error(
      `stack ${files.project}/${files.stack} has no checkpoint in this backend (${files.checkpoint}); is it the right stack and backend?`,
    );
  }
  if (checkpoint === "whole") {
    if (!isDamaged(attrs)) return { said: [], changed: false };
    const aside = setAside(files.checkpoint + ATTRS, when);
    return {
      said: [
        `the checkpoint ${files.checkpoint} is whole, but the storage's metadata file beside it is damaged: ${attrs.damaged}`,
        '(the interrupted run was stopped while the CLI rewrote it; this is what "failed to load checkpoint: EOF" means)',
        `set it aside as ${aside}; the CLI reads the checkpoint without it and writes a new one with its next checkpoint`,
      ],
      changed: true,
    };
  }
  const earlier = earlierCheckpoints(files).find((file) => checkpointState(file) === "whole");
  if (!earlier) {
    throw new Error(
      `the checkpoint ${files.checkpoint} is damaged (${checkpoint.damaged}) and no readable earlier checkpoint was found ` +
        `(${files.checkpoint}.bak, ${files.historyDir}, ${files.backupsDir}); nothing was changed`,
    );
  }
  const bytes = readFileSync(earlier);
  const keptCheckpoint = setAside(files.checkpoint, when);
  const keptAttrs = existsSync(files.checkpoint + ATTRS) ? setAside(files.checkpoint + ATTRS, when) : undefined;
  replaceAtomically(files.checkpoint, bytes);
  return {
    said: [
      `the checkpoint ${files.checkpoint} is damaged: ${checkpoint.damaged}`,
      `replaced it with the newest readable earlier checkpoint, ${earlier}`,
      `kept what it replaced as ${keptCheckpoint}${keptAttrs ? ` (and its metadata file as ${keptAttrs})` : ""}`,
      "changes the interrupted run made after that checkpoint are not in it: the run that follows reads every membership, and one it made but no longer records is refused as unknown, never taken over",
    ],
    changed: true,
  };
}
