/**
 * Where a local file backend keeps one stack (Pulumi CLI v3, pkg/backend/diy): the checkpoint
 * .pulumi/stacks/<project>/<stack>.json (.json.gz when PULUMI_DIY_BACKEND_GZIP is set), the previous one beside it as
 * <stack>.json.bak, a copy of each finished update's under .pulumi/history/<project>/<stack>/, optional copies under
 * .pulumi/backups/<project>/<stack>/, and the lock of a running update under .pulumi/locks/organization/<project>/<stack>/.
 * Every file written through gocloud.dev's fileblob has a metadata file beside it: <file>.attrs.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync, statSync } from "fs";
import { homedir } from "os";
import * as path from "path";
import { failureText, pulumi } from "./pulumi-command";

export interface StackFiles {
  project: string;
  stack: string;
  /** The checkpoint, whether or not it exists. */
  checkpoint: string;
  historyDir: string;
  backupsDir: string;
  locksDir: string;
}

/** The Pulumi.yaml the CLI would use: the first one found from `dir` upwards. */
export function findProjectFile(dir: string): string {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    for (const name of ["Pulumi.yaml", "Pulumi.yml"]) if (existsSync(path.join(at, name))) return path.join(at, name);
    if (path.dirname(at) === at)
      throw new Error(`no Pulumi.yaml found from ${path.resolve(dir)} upwards; run this in the project's directory or give --cwd`);
  }
}

/** The project's name: the top-level `name:` of Pulumi.yaml. */
export function projectName(projectFile: string): string {
  const name = /^name:[ \t]*["']?([A-Za-z0-9_.-]+)["']?[ \t]*(#.*)?$/m.exec(readFileSync(projectFile, "utf8"))?.[1];
  if (!name) throw new Error(`${projectFile} has no top-level name: that recovery can read`);
  return name;
}

/**
 * The selected stack when the user named none. `pulumi stack --show-name` opens the stack, which fails exactly when
 * recovery is needed, so then the CLI's own record of the selection is read: $PULUMI_HOME/workspaces/
 * <project>-<sha1 of Pulumi.yaml's path>-workspace.json, per backend URL (older files: one `stack`).
 */
export function selectedStack(projectFile: string, project: string, backendUrl: string, cwd: string | undefined): string {
  const shown = pulumi(["stack", "--show-name", ...(cwd !== undefined ? ["--cwd", cwd] : [])], "capture");
  if (shown.status === 0 && shown.stdout.trim()) return shown.stdout.trim();
  const home = process.env.PULUMI_HOME || path.join(homedir(), ".pulumi");
  const hash = createHash("sha1").update(projectFile).digest("hex");
  const file = path.join(home, "workspaces", `${project}-${hash}-workspace.json`);
  try {
    const settings = JSON.parse(readFileSync(file, "utf8")) as { stack?: unknown; stacks?: Record<string, unknown> };
    const name = settings.stacks?.[backendUrl] ?? settings.stack;
    if (typeof name === "string" && name) return name;
  } catch {
    // No selection recorded: said below.
  }
  throw new Error(`no stack is selected and none was given; give --stack <name>:\n${failureText(shown)}`);
}

/** The files of `stack` ([org/][project/]name) of `project` in the backend at `backendDir`. */
export function stackFiles(backendDir: string, project: string, stack: string): StackFiles {
  const parts = stack.split("/");
  const name = parts[parts.length - 1]!;
  const proj = parts.length === 3 ? parts[1]! : parts.length === 2 ? parts[0]! : project;
  const bookkeeping = path.join(backendDir, ".pulumi");
  const base = path.join(bookkeeping, "stacks", proj, name);
  // The CLI reads the most recently written of the plain and compressed variants.
  const variants = [".json", ".json.gz", ".json.zst"].map((ext) => base + ext).filter((file) => existsSync(file));
  variants.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return {
    project: proj,
    stack: name,
    checkpoint: variants[0] ?? `${base}.json`,
    historyDir: path.join(bookkeeping, "history", proj, name),
    backupsDir: path.join(bookkeeping, "backups", proj, name),
    locksDir: path.join(bookkeeping, "locks", "organization", proj, name),
  };
}
