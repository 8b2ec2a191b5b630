/**
 * The provider plugin beside the dynamic resource: how long the plugin takes to start (spawn to the port on stdout,
 * beside a bare `node -e` start), and `pulumi up` and `destroy` of I × G memberships through the real CLI from a Pulumi
 * YAML program (the plugin), from the same YAML program with a no-op plugin's resources in their place (the floor:
 * bench/noop-plugin.ts), and from the examples' TypeScript fleet program (the dynamic resource), against the ECS
 * emulator in its own process with `--latency-ms` on every action; ECS calls and state bytes per membership. The
 * plugin and the dynamic resource run this checkout's build. Checks the world after each up and destroy and exits
 * non-zero otherwise.
 *
 *   npm run bench:plugin -- [--instances 100] [--groups 5] [--latency-ms 30] [--starts 5]
 */
import { spawn, spawnSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { emulatorAdmin } from "../emulator";
import { membershipsOf } from "../testing/memberships";
import { startEmulatorProcess } from "../testing/processes";
import { EXAMPLES_DIR, locatePulumi, locateYamlLanguageHost, REPO_ROOT } from "../testing/pulumi-cli";
import { ThrowawayStack } from "../testing/throwaway-stack";
import { fleetSeed, stateBytesPerResource } from "./fleet-world";
import { NOOP_PACKAGE, NOOP_TOKEN } from "./noop-plugin";
import { failOnWrongWorld, parseOptions, printTable } from "./table";

const USAGE = "Usage: npm run bench:plugin -- [--instances 100] [--groups 5] [--latency-ms 30] [--starts 5]";

const KEY = { accessKeyId: "LTAI5tPluginBench001", accessKeySecret: "plugin-bench-secret" };
const VPC = "vpc-bp1pluginbench";
const BASE_GROUP = "sg-bp1pbbase";
const PLUGIN_BIN = path.join(REPO_ROOT, "bin", "pulumi-resource-alicloud-sg-membership.js");
const PLUGIN_PACKAGE = "alicloud-sg-membership";
const TOKENS = {
  noop: NOOP_TOKEN,
  plugin: `${PLUGIN_PACKAGE}:index:SecurityGroupMembership`,
  dynamic: "pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership",
};
type Face = keyof typeof TOKENS;
const FACES: Face[] = ["noop", "plugin", "dynamic"];
const OPERATIONS = ["up", "destroy"] as const;

const instanceId = (n: number) => `i-bp1pb${String(n).padStart(4, "0")}`;
const groupId = (n: number) => `sg-bp1pb${n}`;

interface YamlPackage {
  name: string;
  /** The directory holding its `pulumi-resource-<name>`. */
  dir: string;
  token: string;
}

/** The YAML program a user would write for the fleet: one resource per membership (YAML has no loops). */
function yamlProgram(project: string, plugin: YamlPackage, instances: string[], groups: string[]): string {
  const lines = [
    `name: ${project}`,
    "runtime: yaml",
    "plugins:",
    "  providers:",
    `    - name: ${plugin.name}`,
    `      path: ${plugin.dir}`,
    "resources:",
  ];
  for (const instance of instances) {
    for (const group of groups) {
      lines.push(
        `  ${instance}-in-${group}:`,
        `    type: ${plugin.token}`,
        "    properties:",
        `      instanceId: ${instance}`,
        `      securityGroupId: ${group}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A YAML project of the fleet in `dir`, for the plugin named in it. */
function yamlProject(dir: string, plugin: YamlPackage, instances: string[], groups: string[]): string {
  mkdirSync(dir);
  writeFileSync(path.join(dir, "Pulumi.yaml"), yamlProgram(`sg-plugin-bench-${path.basename(dir)}`, plugin, instances, groups));
  return dir;
}

/** `pulumi-resource-sgm-noop` in `dir`: what the engine runs for the no-op package. */
function noopPluginIn(dir: string): YamlPackage {
  mkdirSync(dir);
  const wrapper = path.join(dir, `pulumi-resource-${NOOP_PACKAGE}`);
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${path.join(__dirname, "noop-plugin.js")}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { name: NOOP_PACKAGE, dir, token: NOOP_TOKEN };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Milliseconds from spawn to the first line on stdout. */
function timeToFirstLine(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      child.kill("SIGTERM");
    });
    child.once("error", reject);
  });
}

async function startupTimes(starts: number): Promise<void> {
  const node: number[] = [];
  const plugin: number[] = [];
  for (let i = 0; i < starts; i++) {
    node.push(await timeToFirstLine(process.execPath, ["-e", "console.log(1)"]));
    plugin.push(await timeToFirstLine(process.execPath, [PLUGIN_BIN, "127.0.0.1:1"]));
  }
  printTable(
    ["start (median of " + starts + ")", "ms"],
    [
      ["node -e (baseline)", median(node).toFixed(0)],
      ["pulumi-resource-alicloud-sg-membership", median(plugin).toFixed(0)],
    ],
  );
}

async function main(): Promise<void> {
  const options = parseOptions(
    process.argv.slice(2),
    { instances: 100, groups: 5, latencyMs: 30, starts: 5 },
    { usage: USAGE, zeroAllowed: ["latencyMs"] },
  );
  locatePulumi();
  locateYamlLanguageHost();
  if (spawnSync(process.execPath, [PLUGIN_BIN, "--help"]).status !== 0) throw new Error("the plugin does not start: run `npm run build` first");
  const instances = Array.from({ length: options.instances }, (_, i) => instanceId(i + 1));
  const groups = Array.from({ length: options.groups }, (_, i) => groupId(i + 1));
  console.log(
    `bench:plugin: ${instances.length} × ${groups.length} = ${instances.length * groups.length} memberships, ${options.latencyMs} ms per ECS action`,
  );
  await startupTimes(options.starts);
  console.log("");

  const work = mkdtempSync(path.join(tmpdir(), "sgm-bench-plugin-"));
  const seedPath = path.join(work, "seed.json");
  writeFileSync(seedPath, JSON.stringify(fleetSeed({ key: KEY, vpc: VPC, baseGroup: BASE_GROUP, instances, groups, latencyMs: options.latencyMs })));
  const packages: Record<Exclude<Face, "dynamic">, YamlPackage> = {
    noop: noopPluginIn(path.join(work, "noop-bin")),
    plugin: { name: PLUGIN_PACKAGE, dir: path.join(REPO_ROOT, "node_modules", ".bin"), token: TOKENS.plugin },
  };
  const emulator = await startEmulatorProcess(seedPath);
  const admin = emulatorAdmin(emulator.url);
  const stacks: Partial<Record<Face, ThrowawayStack>> = {};
  const problems: string[] = [];
  try {
    for (const face of ["noop", "plugin"] as const) {
      stacks[face] = await ThrowawayStack.create({
        name: `bench-${face}-${process.pid}`,
        projectDir: yamlProject(path.join(work, face), packages[face], instances, groups),
        configNamespace: packages[face].name,
        endpoint: emulator.url,
        credentials: KEY,
      });
    }
    stacks.dynamic = await ThrowawayStack.create({
      name: `bench-dynamic-${process.pid}`,
      projectDir: EXAMPLES_DIR,
      example: "fleet",
      endpoint: emulator.url,
      credentials: KEY,
      config: {
        "sg-membership-examples:fleetInstanceIds": JSON.stringify(instances),
        "sg-membership-examples:fleetGroupIds": JSON.stringify(groups),
      },
    });
    // One face at a time over the same world: each stack up and down before the next.
    const seconds = {} as Record<Face, Record<(typeof OPERATIONS)[number], number>>;
    const calls = {} as Record<Face, Record<(typeof OPERATIONS)[number], string>>;
    const bytes = {} as Record<Face, number>;
    for (const face of FACES) {
      seconds[face] = { up: 0, destroy: 0 };
      calls[face] = { up: "", destroy: "" };
      for (const operation of OPERATIONS) {
        await admin.resetStats();
        const started = Date.now();
        await stacks[face]!.run([operation, "--yes", "--skip-preview"]);
        seconds[face][operation] = (Date.now() - started) / 1000;
        calls[face][operation] =
          Object.entries((await admin.stats()).actions)
            .map(([action, n]) => `${action} ${n}`)
            .join(", ") || "none";
        if (operation === "up") bytes[face] = stateBytesPerResource(await stacks[face]!.exportState(), TOKENS[face]);
        const held = membershipsOf(await admin.state());
        const expected = (operation === "up" && face !== "noop" ? [BASE_GROUP, ...groups] : [BASE_GROUP]).sort().join(",");
        const wrong = instances.filter((id) => held[id]?.join(",") !== expected);
        if (wrong.length > 0) problems.push(`${face} after ${operation}: ${wrong.length} instances not in exactly [${expected}]`);
      }
    }
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    printTable(
      ["op", "YAML + no-op s", "YAML + plugin s", "plugin/no-op", "TS + dynamic s", "dynamic/plugin", "ECS calls"],
      OPERATIONS.map((operation) => [
        operation,
        seconds.noop[operation].toFixed(1),
        seconds.plugin[operation].toFixed(1),
        ratio(seconds.plugin[operation], seconds.noop[operation]),
        seconds.dynamic[operation].toFixed(1),
        ratio(seconds.dynamic[operation], seconds.plugin[operation]),
        `no-op: ${calls.noop[operation]}; plugin: ${calls.plugin[operation]}; dynamic: ${calls.dynamic[operation]}`,
      ]),
    );
    console.log("");
    printTable(
      ["state bytes per resource", "YAML + no-op", "YAML + plugin", "plugin/no-op", "TS + dynamic", "dynamic/plugin"],
      [
        [
          "after up",
          String(bytes.noop),
          String(bytes.plugin),
          ratio(bytes.plugin, bytes.noop),
          String(bytes.dynamic),
          ratio(bytes.dynamic, bytes.plugin),
        ],
      ],
    );
  } finally {
    for (const stack of Object.values(stacks)) stack.remove();
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
  failOnWrongWorld("bench:plugin", problems);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
