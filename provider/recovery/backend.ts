/**
 * Which kind of backend holds the stack. Only a local file backend (file://) keeps the checkpoint as files recovery may
 * repair in place; Pulumi Cloud and the object stores (s3://, azblob://, gs://) are left to Pulumi's own commands.
 * The URL is asked of `pulumi whoami`, which resolves it as every other command does (PULUMI_BACKEND_URL, the
 * project's backend.url, then the login in ~/.pulumi/credentials.json).
 */
import { homedir } from "os";
import * as path from "path";
import { fileURLToPath } from "url";
import { failureText, pulumi } from "./pulumi-command";

export type Backend = { kind: "file"; dir: string; url: string } | { kind: "other"; scheme: string };

/** The backend a `file://` URL names: its directory, `~` expanded as the CLI does, query options dropped. */
export function fileBackendDir(url: string, base: string, home = homedir()): string {
  const bare = url.replace(/[?#].*$/s, "");
  const rest = bare.slice("file://".length);
  if (rest === "~" || rest.startsWith("~/")) return path.join(home, rest.slice(1));
  return bare.startsWith("file:///") ? fileURLToPath(bare) : path.resolve(base, rest);
}

/** `base`: the directory the CLI ran in, which a relative file:// path is relative to. */
export function backendOf(url: string, base: string): Backend {
  if (url.startsWith("file://")) return { kind: "file", dir: fileBackendDir(url, base), url };
  // Only the scheme is ever shown: an object store's URL may carry account names or keys in its query.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase() ?? "https";
  return { kind: "other", scheme };
}

/** The current backend, as `pulumi whoami --json` reports it in the project's directory. */
export function currentBackend(cwd: string | undefined): Backend {
  const run = pulumi(["whoami", "--json", ...(cwd !== undefined ? ["--cwd", cwd] : [])], "capture");
  if (run.status !== 0) throw new Error(`\`pulumi whoami\` failed, so the backend is unknown:\n${failureText(run)}`);
  const url = (JSON.parse(run.stdout) as { url?: unknown }).url;
  if (typeof url !== "string" || url === "") throw new Error("`pulumi whoami --json` named no backend URL");
  return backendOf(url, path.resolve(cwd ?? "."));
}
