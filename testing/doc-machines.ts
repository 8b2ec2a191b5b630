/**
 * The machines a documentation session runs on, as its reader has them:
 * - `consumer`: a Pulumi project of the reader's own, outside this repository, with a stack selected and Alibaba Cloud
 *   credentials and endpoint in the environment, where "the cloud" is a fresh ECS emulator with the basic example's
 *   world and `npm install pulumi-alicloud-sg-membership` gets the package as packed now, from a local registry;
 * - `yaml`: the same for a Pulumi YAML project (`runtime: yaml`, until the docs' Pulumi.yaml replaces it) with an empty
 *   package.json and nothing installed: the docs install the package, whose provider plugin the project then runs;
 * - `go`: the same for a Go project (`runtime: go`), which the docs make a Go module using the package's Go SDK;
 * - `newcomer`: the consumer's project with nothing else: no credentials or endpoint in the environment, no emulator running;
 * - `clone`: a clone of this repository after the quick start's `npm ci` (sources copied; the installed packages,
 *   the build and the Pulumi CLI shared with this checkout), in a shell with no Pulumi or Alibaba Cloud settings, in
 *   a network namespace of its own (testing/network-namespace.ts), so that its port 8787 is its own.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { createConnection } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { DEVELOPMENT_SDK_VERSION, packPackage } from "./consumer-project";
import { seedKey } from "./credentials";
import { exampleSeed } from "./example-world";
import { startLocalRegistry } from "./local-registry";
import { membershipsOf } from "./memberships";
import { startNetworkNamespace } from "./network-namespace";
import { runProcess } from "./processes";
import { pulumiEnv, REPO_ROOT } from "./pulumi-cli";
import type { SessionMachine } from "./doc-session";
import { startTestEmulator } from "./test-emulator";

/** The port the documentation's emulator listens on (fixed, so that its commands can be copied as they are). */
export const DOCS_EMULATOR_PORT = 8787;

export interface Machine extends SessionMachine {
  /** What is wrong with the machine after the reader followed the file to its end ([] when it is where the docs say). */
  leftovers(): Promise<string[]>;
  remove(): Promise<void>;
}

async function run(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  const started = runProcess(command, options);
  const code = await started.exited;
  if (code !== 0) throw new Error(`${command.join(" ")} exited with ${code}:\n${started.stdout()}\n${started.stderr()}`);
}

/** True when something accepts connections on the port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => resolve(!socket.destroy()));
    socket.once("error", () => resolve(false));
  });
}

type Runtime = "nodejs" | "yaml" | "go";

/** A Pulumi project of the reader's own (`my-infra`, a stack `dev` selected), whose npm gets the package as packed now. */
async function readerProject(prefix: string, extraEnv: NodeJS.ProcessEnv, runtime: Runtime = "nodejs") {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const cwd = path.join(root, "my-infra");
  mkdirSync(cwd);
  const registry = await startLocalRegistry(packPackage(path.join(root, "pack")));
  const env = pulumiEnv({
    backendDir: path.join(root, "backend"),
    homeDir: path.join(root, "pulumi-home"),
    extra: { npm_config_registry: registry.url, ...extraEnv },
  });
  mkdirSync(path.join(root, "backend"));
  writeFileSync(path.join(cwd, "Pulumi.yaml"), `name: my-infra\nruntime: ${runtime}\n`);
  if (runtime !== "nodejs") {
    writeFileSync(path.join(cwd, "package.json"), JSON.stringify({ name: "my-infra", private: true }));
  } else {
    writeFileSync(
      path.join(cwd, "package.json"),
      JSON.stringify({ name: "my-infra", private: true, dependencies: { "@pulumi/pulumi": DEVELOPMENT_SDK_VERSION } }),
    );
    await run(["npm", "install", "--no-audit", "--no-fund"], { cwd, env });
  }
  await run(["pulumi", "stack", "init", "dev", "--non-interactive"], { cwd, env });
  return { root, cwd, env, registry, scratchDir: path.join(root, "scratch") };
}

export function consumerMachine(): Promise<Machine> {
  return emulatedProjectMachine("nodejs");
}

export function yamlMachine(): Promise<Machine> {
  return emulatedProjectMachine("yaml");
}

export function goMachine(): Promise<Machine> {
  return emulatedProjectMachine("go");
}

/** The reader's project with credentials and an endpoint in the environment, and a fresh emulator as the cloud. */
async function emulatedProjectMachine(runtime: Runtime): Promise<Machine> {
  const seed = exampleSeed("basic");
  const key = seedKey(seed);
  const emulator = await startTestEmulator(seed);
  const credentials = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret,
    ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
  };
  const project = await readerProject(`sgm-doc-${runtime === "nodejs" ? "consumer" : runtime}-`, credentials, runtime);
  const initial = membershipsOf(seed);
  return {
    cwd: project.cwd,
    env: project.env,
    scratchDir: project.scratchDir,
    leftovers: async () => {
      const now = membershipsOf(await emulator.state());
      return JSON.stringify(now) === JSON.stringify(initial) ? [] : [`the emulator's memberships are not back to the seed's: ${JSON.stringify(now)}`];
    },
    remove: async () => {
      await Promise.all([emulator.close(), project.registry.close()]);
      rmSync(project.root, { recursive: true, force: true });
    },
  };
}

/** A newcomer's project: the package's own emulator (which the reader starts) is all the cloud there is. */
export async function newcomerMachine(): Promise<Machine> {
  if (await portInUse(DOCS_EMULATOR_PORT)) {
    throw new Error(`Port ${DOCS_EMULATOR_PORT} is in use: the documentation's emulator listens there. Stop what listens on it and run again.`);
  }
  const project = await readerProject("sgm-doc-newcomer-", {});
  return {
    cwd: project.cwd,
    env: project.env,
    scratchDir: project.scratchDir,
    leftovers: async () => [
      ...((await portInUse(DOCS_EMULATOR_PORT)) ? [`the emulator still listens on port ${DOCS_EMULATOR_PORT}`] : []),
      ...(existsSync(path.join(project.cwd, "emulator.pid")) ? ["left behind: emulator.pid"] : []),
    ],
    remove: async () => {
      const pidFile = path.join(project.cwd, "emulator.pid");
      if (existsSync(pidFile)) killQuietly(Number(readFileSync(pidFile, "utf8")));
      await project.registry.close();
      rmSync(project.root, { recursive: true, force: true });
    },
  };
}

/** Built or installed here and shared with the clone, rather than copied or built again. */
const SHARED = ["node_modules", ".tools", "dist", "examples/bin"];
const NOT_COPIED = new Set([".git", ".pulumi-state", ...SHARED].map((entry) => path.join(REPO_ROOT, entry)));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !SHARED.some((shared) => file === shared || file.startsWith(`${shared}/`)));
}

/**
 * The clone, in a network namespace of its own: its sessions start the documentation's emulator on port 8787, as the
 * reader does, and several of them can run at once; they need nothing beyond loopback.
 */
export async function cloneMachine(): Promise<Machine> {
  const namespace = await startNetworkNamespace();
  const root = mkdtempSync(path.join(tmpdir(), "sgm-doc-clone-"));
  const cwd = path.join(root, "pulumi-alicloud-sg-membership");
  cpSync(REPO_ROOT, cwd, { recursive: true, filter: (source) => !NOT_COPIED.has(source) });
  for (const shared of SHARED) symlinkSync(path.join(REPO_ROOT, shared), path.join(cwd, shared));
  const before = new Set(filesUnder(cwd));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ALIBABA_CLOUD|ALICLOUD|PULUMI)_/.test(name)));
  return {
    cwd,
    env: { ...env, PULUMI_HOME: path.join(root, "pulumi-home"), PULUMI_SKIP_CONFIRMATIONS: "true" },
    scratchDir: path.join(root, "scratch"),
    enter: namespace.enter,
    leftovers: async () => [
      ...((await namespace.portInUse(DOCS_EMULATOR_PORT)) ? [`the emulator still listens on port ${DOCS_EMULATOR_PORT}`] : []),
      ...filesUnder(cwd)
        .filter((file) => !before.has(file))
        .map((file) => `left behind: ${file}`),
    ],
    remove: async () => {
      // A detached emulator is in a session of its own, beyond the session's process group: stop it by its PID file.
      for (const pidFile of filesUnder(cwd).filter((file) => path.basename(file) === "emulator.pid")) {
        killQuietly(Number(readFileSync(path.join(cwd, pidFile), "utf8")));
      }
      await namespace.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
