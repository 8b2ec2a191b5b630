/**
 * sg-membership-recover, step by step: open the stack (repairing a file backend's checkpoint files if that is what
 * keeps it shut), release the lock the interrupted run left, then run the interrupted command again. Each step says
 * what it found and did; anything it cannot repair safely stops it with nothing changed and the way forward.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { RECOVER_FILE_ENV } from "../membership/interrupted-creates";
import { currentBackend, type Backend } from "./backend";
import { manualSteps } from "./manual-steps";
import { parseOptions, USAGE, type Mode, type RecoverOptions } from "./options";
import { interruptedCreates, interruptedDeletes, parseExported, withoutResolved, type Exported } from "./pending";
import { failureText, pulumi } from "./pulumi-command";
import { repairStackFiles } from "./repair";
import { describeLock, heldByLiveRun, stackLocks } from "./stack-lock";
import { findProjectFile, projectName, selectedStack, stackFiles, type StackFiles } from "./stack-files";

const say = (line: string) => console.log(`sg-membership-recover: ${line}`);

/** Stops recovery with a message; `code` is the exit code. */
export class Stop extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

function exportStack(stackArgs: readonly string[]): { exported?: Exported; why: string } {
  const run = pulumi(["stack", "export", ...stackArgs], "capture");
  return run.status === 0 ? { exported: parseExported(run.stdout), why: "" } : { why: failureText(run) };
}

function localFiles(options: RecoverOptions, backend: Extract<Backend, { kind: "file" }>): StackFiles {
  const projectFile = findProjectFile(options.cwd ?? ".");
  const project = projectName(projectFile);
  const stack = options.stack ?? selectedStack(projectFile, project, backend.url, options.cwd);
  return stackFiles(backend.dir, project, stack);
}

/** Step 1: a stack that opens (and whether its files were repaired for that), or a Stop that says why not. */
function openStack(options: RecoverOptions, backend: Backend, files: StackFiles | undefined): { exported: Exported; repaired: boolean } {
  const repair = files ? repairStackFiles(files) : { said: [], changed: false };
  repair.said.forEach(say);
  const { exported, why } = exportStack(options.stackArgs);
  if (exported) return { exported, repaired: repair.changed };
  if (backend.kind === "other") throw new Stop(manualSteps(backend.scheme, options.stackArgs, why));
  throw new Stop(`the stack still cannot be opened, and its checkpoint files look whole; nothing more was changed. The CLI said:\n${why}`);
}

/** A repair of the stack's files (said when made) is all that may have been done before the later steps stop. */
const unchangedSince = (repaired: boolean) => (repaired ? "Nothing else was changed." : "Nothing was changed.");

/** Step 2: the interrupted run's lock, cancelled (file backends, where a lock says whose it is). */
function releaseLock(options: RecoverOptions, files: StackFiles | undefined, repaired: boolean): void {
  if (!files) return;
  const locks = stackLocks(files.locksDir);
  if (locks.length === 0) return;
  const live = locks.filter((lock) => heldByLiveRun(lock));
  if (live.length > 0) {
    throw new Stop(
      `the stack is locked by a run that is still going (${live.map(describeLock).join("; ")}): wait for it to end, or stop it, then run this again. ${unchangedSince(repaired)}`,
    );
  }
  const cancel = pulumi(["cancel", "--yes", ...options.stackArgs], "capture");
  if (cancel.status !== 0) throw new Stop(`the interrupted run's lock could not be cancelled (\`pulumi cancel\`):\n${failureText(cancel)}`);
  say(`the interrupted run still held the stack's lock (${locks.map(describeLock).join("; ")}): cancelled it (pulumi cancel)`);
}

/** What the interrupted run was: as the user said, else an up unless the state says otherwise. */
function modeOf(options: RecoverOptions, exported: Exported, repaired: boolean): Mode {
  const unchanged = unchangedSince(repaired);
  const creates = interruptedCreates(exported.deployment).length;
  const deletes = interruptedDeletes(exported.deployment).length;
  if (options.mode === "destroy" && creates > 0) {
    throw new Stop(
      `the state records ${creates} interrupted create(s) of a membership, from an interrupted \`pulumi up\`: run \`npx sg-membership-recover\` (without --destroy) first to finish that update, then this with --destroy. ${unchanged}`,
    );
  }
  if (options.mode) return options.mode;
  if (deletes > 0 && creates === 0) {
    throw new Stop(
      `the interrupted run was deleting ${deletes} membership(s) and creating none, as an interrupted \`pulumi destroy\` leaves it (or a \`pulumi up\` that was removing them). Say which to finish: --destroy for a destroy, --up for an up. ${unchanged}`,
      2,
    );
  }
  return "up";
}

/** Step 3a: `pulumi up`, accepting exactly the interrupted creates as the stack's own, then clearing their records. */
function finishUp(options: RecoverOptions, exported: Exported): number {
  const creates = interruptedCreates(exported.deployment);
  say(
    creates.length === 0
      ? "no interrupted create of a SecurityGroupMembership recorded; running the update again"
      : `${creates.length} interrupted create(s) of SecurityGroupMembership:\n${creates.map((c) => `  ${c.id}  (${c.urn})`).join("\n")}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), "sg-membership-recover-"));
  const list = path.join(dir, "interrupted-creates.json");
  try {
    writeFileSync(list, JSON.stringify(creates), { mode: 0o600 });
    process.env[RECOVER_FILE_ENV] = list;
    const up = pulumi(["up", ...options.passThrough], "show");
    if (up.status !== 0) {
      console.error("sg-membership-recover: `pulumi up` failed; the interrupted creates stay recorded, so run this again once the cause is fixed.");
      return up.status;
    }
    const after = exportStack(options.stackArgs);
    if (!after.exported) throw new Stop(`the update succeeded, but the state could not be read back:\n${after.why}`);
    const { exported: cleaned, cleared } = withoutResolved(after.exported);
    writeFileSync(list, JSON.stringify(cleaned), { mode: 0o600 });
    if (cleared > 0 && pulumi(["stack", "import", "--file", list, ...options.stackArgs], "show").status !== 0) {
      throw new Stop("the update succeeded, but clearing the resolved pending creates failed; `pulumi refresh` will offer to clear them.");
    }
    say(`done; ${cleared} pending create(s) resolved and cleared.`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Step 3b: `pulumi destroy` again: delete reads each membership first, so a Leave already done is seen as gone. */
function finishDestroy(options: RecoverOptions, exported: Exported): number {
  const deletes = interruptedDeletes(exported.deployment).length;
  say(`finishing the destroy${deletes > 0 ? ` (${deletes} interrupted delete(s) recorded)` : ""}`);
  const destroy = pulumi(["destroy", ...options.passThrough], "show");
  if (destroy.status !== 0) {
    console.error("sg-membership-recover: `pulumi destroy` failed; run this again (with --destroy) once the cause is fixed.");
    return destroy.status;
  }
  say("done; the destroy is finished.");
  return 0;
}

export function main(args: readonly string[]): number {
  const options = parseOptions(args);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const backend = currentBackend(options.cwd);
  const files = backend.kind === "file" ? localFiles(options, backend) : undefined;
  const { exported, repaired } = openStack(options, backend, files);
  const mode = modeOf(options, exported, repaired);
  releaseLock(options, files, repaired);
  return mode === "destroy" ? finishDestroy(options, exported) : finishUp(options, exported);
}

/** Runs main and turns a Stop or any failure into its message and exit code. */
export function run(args: readonly string[]): number {
  try {
    return main(args);
  } catch (error) {
    console.error(`sg-membership-recover: ${(error as Error).message}`);
    return error instanceof Stop ? error.code : 1;
  }
}
