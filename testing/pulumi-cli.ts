/**
 * Runs the real `pulumi` CLI fully offline: local file backend, passphrase secrets, no update checks, no plugin downloads.
 */
import { spawn, type ChildProcess } from "child_process";
import { accessSync, constants } from "fs";
import * as path from "path";
import { killTree } from "./process-tree";

/** Compiled to dist/testing/, two levels below the repository. */
export const REPO_ROOT = path.resolve(__dirname, "../..");
export const TOOLS_BIN = path.join(REPO_ROOT, ".tools", "bin");
/** The examples' Pulumi project (examples/Pulumi.yaml), where stacks of the examples run. */
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");

export const HOW_TO_GET_PULUMI =
  "Run `npm run setup:pulumi` (uses `pulumi` from PATH, or builds the Pulumi CLI and its Node.js language host with Go " +
  "into .tools/bin; needs Go >= 1.25 and a Go module proxy), or install Pulumi so that `pulumi` is on PATH.";

/** A fixed passphrase: these stacks are throwaway and their secrets are the emulator's test keys. */
export const DEV_PASSPHRASE = "sg-membership-dev-passphrase";

export interface PulumiResult {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface PulumiEnvironment {
  /** Directory of the file backend (file://). */
  backendDir: string;
  /** PULUMI_HOME, so concurrent runs share no workspace files. */
  homeDir: string;
  /** Extra variables for the CLI and the processes it starts (the program and the dynamic provider). */
  extra?: Record<string, string>;
}

/**
 * Set to a folder holding another `pulumi` (CI's newest CLI, scripts/install-pulumi-newest): that CLI runs the tests,
 * with the language hosts and launchers of .tools/bin.
 */
export const CLI_DIR_ENV = "SG_MEMBERSHIP_PULUMI_DIR";

/** .tools/bin first: the source-built CLI, its language host and the dynamic-provider launcher live together there. */
function searchPath(): string {
  return [process.env[CLI_DIR_ENV] ?? "", TOOLS_BIN, process.env.PATH ?? ""].filter((dir) => dir !== "").join(path.delimiter);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The `pulumi` that runs will use; throws with instructions when there is none. */
export function locatePulumi(): string {
  for (const dir of searchPath().split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, "pulumi"))) return path.join(dir, "pulumi");
  }
  throw new Error(`The Pulumi CLI was not found (looked in .tools/bin and PATH). ${HOW_TO_GET_PULUMI}`);
}

/** A language host (examples/yaml's, examples/go's); fails (never skips) with the way to get one. */
export function locateLanguageHost(language: "yaml" | "go"): string {
  const host = `pulumi-language-${language}`;
  for (const dir of searchPath().split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, host))) return path.join(dir, host);
  }
  throw new Error(
    `${host} was not found (looked in .tools/bin and PATH): run \`npm run setup:pulumi\`, which builds it with Go into .tools/bin, or install Pulumi's own distribution, which ships it beside the CLI.`,
  );
}

export const locateYamlLanguageHost = (): string => locateLanguageHost("yaml");

/** The caller's environment without Alibaba Cloud settings: a run uses only its stack's credentials and endpoint. */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ALIBABA_CLOUD|ALICLOUD)_/.test(name)));
}

export function pulumiEnv(settings: PulumiEnvironment): NodeJS.ProcessEnv {
  return {
    ...inheritedEnv(),
    PATH: searchPath(),
    PULUMI_HOME: settings.homeDir,
    PULUMI_BACKEND_URL: `file://${settings.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    ...settings.extra,
  };
}

/** CLI processes still running, so a signal handler can cancel them before it cleans up. */
const running = new Set<ChildProcess>();

/** Asks every running `pulumi` to cancel (SIGINT, as Ctrl-C would) and waits until they have exited. */
export async function interruptPulumiRuns(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("close", () => resolve());
          child.kill("SIGINT");
        }),
    ),
  );
}

/** The arguments as they may be shown: values after --secret (`key=value`) are hidden. */
function displayArgs(args: string[]): string[] {
  return args.map((arg, i) => (args[i - 1] === "--secret" ? arg.replace(/=.*$/s, "=[secret]") : arg));
}

/** A command started in a process group of its own: it can be killed outright, as a CI timeout or a power cut would. */
export interface RunningCommand {
  done: Promise<PulumiResult>;
  pid: number;
  /** SIGKILL to the command and every process it started (the language host, the program, the providers). */
  killAll(): void;
}

export interface CommandOptions {
  env: NodeJS.ProcessEnv;
  /** The Pulumi project's directory; the examples' project by default. */
  cwd?: string;
}

/**
 * Starts `command args…` in the project directory. Asynchronous on purpose: an emulator served from this process must
 * keep answering while the CLI runs.
 */
export function startCommand(
  command: string,
  args: string[],
  options: CommandOptions,
  shown = `${command} ${displayArgs(args).join(" ")}`,
): RunningCommand {
  const child = spawn(command, args, { cwd: options.cwd ?? EXAMPLES_DIR, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  running.add(child);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk));
  const done = new Promise<PulumiResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({
        command: shown,
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
  return {
    done,
    pid: child.pid!,
    killAll: () => killTree(child.pid!),
  };
}

/** Runs `pulumi args…` in the project and resolves with its exit code and output. */
export function runPulumi(args: string[], options: CommandOptions): Promise<PulumiResult> {
  return startPulumi(args, options).done;
}

export function startPulumi(args: string[], options: CommandOptions): RunningCommand {
  return startCommand(locatePulumi(), [...args, "--non-interactive", "--color=never"], options, `pulumi ${displayArgs(args).join(" ")}`);
}

/** The end of a run's output, for error messages. */
export function outputTail(result: PulumiResult, lines = 40): string {
  return `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-lines).join("\n");
}

export class PulumiCommandError extends Error {
  constructor(readonly result: PulumiResult) {
    super(`\`${result.command}\` exited with ${result.code}:\n${outputTail(result)}`);
    this.name = "PulumiCommandError";
  }
}
