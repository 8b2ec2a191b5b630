/**
 * A Pulumi stack of a project (by default the repository's examples, examples/Pulumi.yaml) in a backend of its own,
 * made for one run and removed after it. Credentials go into the stack config as secrets, never the environment of the CLI, so a test can
 * check that none of them reaches the state or the CLI's output.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "fs";
import * as path from "path";
import type { Credentials } from "./credentials";
import {
  EXAMPLES_DIR,
  PulumiCommandError,
  pulumiEnv,
  REPO_ROOT,
  runPulumi,
  startCommand,
  startPulumi,
  type CommandOptions,
  type PulumiResult,
  type RunningCommand,
} from "./pulumi-cli";
import { engineDiagnostics, type Diagnostic } from "./pulumi-output";

/** Git-ignored; each stack gets a backend directory of its own below it. */
const STATE_ROOT = path.join(REPO_ROOT, ".pulumi-state");

export interface StackSettings {
  /** Unique among stacks of this project that may exist at once: the stack's config file is Pulumi.<name>.yaml. */
  name: string;
  /** Which of examples/ the program runs, for the repository's project. */
  example?: string;
  /** The project's directory, when it is not the repository's. */
  projectDir?: string;
  /** The ECS endpoint (the emulator's URL), handed to the provider as ALIBABA_CLOUD_ECS_ENDPOINT. */
  endpoint: string;
  credentials: Credentials;
  region?: string;
  /**
   * The namespace of the credential and region keys: `alicloud` (the dynamic resource's, shared with @pulumi/alicloud)
   * by default, `alicloud-sg-membership` for the provider plugin, which is handed only its own package's config.
   */
  configNamespace?: string;
  /** More plain config values, keys with their namespace ("sg-membership-examples:instanceCount"). */
  config?: Record<string, string>;
  /** More environment for the CLI and so the provider (e.g. SG_MEMBERSHIP_QUOTA_WINDOW_MS, for a shortened quota window). */
  env?: Record<string, string>;
  /** Told of every command once it has finished. */
  onCommand?: (result: PulumiResult, seconds: number) => void;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
}

/** Credentials as secrets, so the state (which records the dynamic provider's config) holds only their ciphertext. */
function configArgs(settings: StackSettings): string[] {
  const { accessKeyId, accessKeySecret, securityToken } = settings.credentials;
  const ns = settings.configNamespace ?? "alicloud";
  const secrets: [string, string | undefined][] = [
    [`${ns}:accessKey`, accessKeyId],
    [`${ns}:secretKey`, accessKeySecret],
    [`${ns}:securityToken`, securityToken],
  ];
  const example: Record<string, string> = settings.example ? { "sg-membership-examples:example": settings.example } : {};
  const plain = { [`${ns}:region`]: settings.region ?? "cn-hangzhou", ...example, ...settings.config };
  return [...secrets.flatMap(([key, value]) => (value === undefined ? [] : ["--secret", `${key}=${value}`])), ...plainArgs(plain)];
}

function plainArgs(values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]);
}

/** A package's bin as npx finds it for a project: in the nearest node_modules/.bin at or above the project's folder. */
function installedBin(projectDir: string, name: string): string {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, "node_modules", ".bin", name);
    if (existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed in ${projectDir} nor above it: run \`npm install\` there`);
  }
}

export class ThrowawayStack {
  /** Every command this stack ran, with its output. */
  readonly transcript: PulumiResult[] = [];

  private constructor(
    readonly name: string,
    /** The stack's file backend (file://), where its checkpoint, history and lock are kept. */
    readonly workDir: string,
    private readonly options: CommandOptions & { cwd: string },
    private readonly onCommand: StackSettings["onCommand"],
  ) {}

  static async create(settings: StackSettings): Promise<ThrowawayStack> {
    mkdirSync(STATE_ROOT, { recursive: true });
    const workDir = mkdtempSync(path.join(STATE_ROOT, `${settings.name}-`));
    const env = pulumiEnv({
      backendDir: workDir,
      homeDir: path.join(workDir, "home"),
      extra: { ALIBABA_CLOUD_ECS_ENDPOINT: settings.endpoint, ...settings.env },
    });
    const stack = new ThrowawayStack(settings.name, workDir, { env, cwd: settings.projectDir ?? EXAMPLES_DIR }, settings.onCommand);
    try {
      await stack.run(["stack", "init", "--secrets-provider", "passphrase"]);
      await stack.run(["config", "set-all", ...configArgs(settings)]);
    } catch (error) {
      stack.remove();
      throw error;
    }
    return stack;
  }

  /** Runs `pulumi args… --stack <name>`; rejects with the output's tail unless the command succeeded or `allowFailure`. */
  async run(args: string[], options: { allowFailure?: boolean } = {}): Promise<PulumiResult> {
    const started = Date.now();
    const result = await runPulumi([...args, "--stack", this.name], this.options);
    this.transcript.push(result);
    this.onCommand?.(result, (Date.now() - started) / 1000);
    if (result.code !== 0 && !options.allowFailure) throw new PulumiCommandError(result);
    return result;
  }

  /**
   * `pulumi up`. With `continueOnError`, a failure does not stop the engine from starting the other resources' steps, so
   * a test that expects every resource attempted does not depend on which step started first.
   */
  up(options: { allowFailure?: boolean; continueOnError?: boolean } = {}): Promise<PulumiResult> {
    return this.run(["up", "--yes", "--skip-preview", ...(options.continueOnError ? ["--continue-on-error"] : [])], options);
  }

  /**
   * `pulumi up --json`: the engine's events instead of the display, for checks of what is shown against which resource
   * (`continueOnError` as in up).
   */
  async upDiagnostics(options: { allowFailure?: boolean; continueOnError?: boolean } = {}): Promise<Diagnostic[]> {
    const args = ["up", "--yes", "--skip-preview", "--json", ...(options.continueOnError ? ["--continue-on-error"] : [])];
    return engineDiagnostics((await this.run(args, options)).stdout);
  }

  /** Starts `pulumi <args> --yes --skip-preview` without waiting, e.g. to kill it halfway. */
  start(args: ["up"] | ["destroy"]): RunningCommand {
    return startPulumi([...args, "--yes", "--skip-preview", "--stack", this.name], this.options);
  }

  /** `pulumi cancel`: what a user runs when an interrupted update left the stack locked. */
  cancel(): Promise<PulumiResult> {
    return this.run(["cancel", "--yes"], { allowFailure: true });
  }

  /** A script of the docs, run in bash (stopping at the first failing command) in the project, with the stack selected. */
  async shell(script: string): Promise<PulumiResult> {
    // `stack init` selected it already; selecting again fails on a stack that cannot be opened, which is what some
    // scripts (the way back after an interrupted run) are there to repair.
    await this.run(["stack", "select"], { allowFailure: true });
    const result = await startCommand("bash", ["-euo", "pipefail", "-c", script], this.options, script).done;
    this.transcript.push(result);
    if (result.code !== 0) throw new PulumiCommandError(result);
    return result;
  }

  /**
   * The README's way back after an interrupted run, `npx sg-membership-recover --yes …` in the project (`--destroy` after
   * a destroy), run as the bin npx would find. npx itself costs about 2 s of CPU a run; the README's blocks, run as
   * written by tests/e2e/interrupted.test.ts and yaml.test.ts, are what check that npx finds it.
   */
  async recover(options: { destroy?: boolean } = {}): Promise<PulumiResult> {
    const args = [...(options.destroy ? ["--destroy"] : []), "--yes", "--skip-preview", "--non-interactive", "--color=never", "--stack", this.name];
    const result = await startCommand(installedBin(this.options.cwd, "sg-membership-recover"), args, this.options).done;
    this.transcript.push(result);
    if (result.code !== 0) throw new PulumiCommandError(result);
    return result;
  }

  /** `pulumi preview` as a user runs it: its display and exit code (`allowFailure` as in run). */
  previewDisplay(options: { allowFailure?: boolean } = {}): Promise<PulumiResult> {
    return this.run(["preview"], options);
  }

  /** The steps `pulumi preview` plans, excluding those that leave a resource as it is. */
  async preview(): Promise<PreviewStep[]> {
    const result = await this.run(["preview", "--json"]);
    const steps = (JSON.parse(result.stdout) as { steps?: PreviewStep[] }).steps ?? [];
    return steps.filter((step) => step.op !== "same");
  }

  refresh(): Promise<PulumiResult> {
    return this.run(["refresh", "--yes", "--skip-preview"]);
  }

  destroy(options: { allowFailure?: boolean } = {}): Promise<PulumiResult> {
    return this.run(["destroy", "--yes", "--skip-preview"], options);
  }

  /** The stack's checkpoint file in its file backend (the examples' project unless the stack is of another). */
  checkpointFile(project = "sg-membership-examples"): string {
    return path.join(this.workDir, ".pulumi", "stacks", project, `${this.name}.json`);
  }

  /** `pulumi stack export` as text, exactly as a user would see it. */
  async exportState(): Promise<string> {
    return (await this.run(["stack", "export"])).stdout;
  }

  /** Sets plain stack config values (namespaced keys). */
  async configure(values: Record<string, string>): Promise<void> {
    await this.run(["config", "set-all", ...plainArgs(values)]);
  }

  /**
   * Removes the stack, whatever resources its state still lists: its config file and its backend, which is the stack's
   * own (as is its PULUMI_HOME, inside it), so nothing else is left of it. No `pulumi stack rm`, which would delete the
   * same files at the cost of a CLI run, and fails on a stack still locked by an interrupted update.
   */
  remove(): void {
    rmSync(path.join(this.options.cwd, `Pulumi.${this.name}.yaml`), { force: true });
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
