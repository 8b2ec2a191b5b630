/**
 * The package as users get it: `npm pack`, the tarball installed into fresh projects outside this repository, and the
 * README's own Install and offline-testing code run there, verbatim, through the real CLI against the emulator. A
 * plain JavaScript project without `typescript`; a TypeScript project under `strict` with moduleResolution node16 and
 * bundler; the oldest `@pulumi/pulumi` the package admits; and a stack made with 0.1.0, upgraded in place.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { SERIALIZED_PROVIDER } from "../../provider/pulumi/serialized-provider";
import { emulatorAdmin } from "../../emulator";
import { docBlock } from "../../testing/doc-blocks";
import { createConsumerProject, packPackage, type ConsumerProject } from "../../testing/consumer-project";
import { startEmulatorProcess } from "../../testing/processes";
import { membershipsOf } from "../../testing/memberships";
import { pulumiEnv, REPO_ROOT } from "../../testing/pulumi-cli";
import { ThrowawayStack } from "../../testing/throwaway-stack";
import { startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { seedKey } from "../../testing/credentials";
import { credentialLeaks, exampleSeed, PULUMI_TEST_TIMEOUT_MS } from "../../testing/example-world";

/** The oldest @pulumi/pulumi the peer range admits (the first whose dynamic providers get `configure`). */
const OLDEST_SDK = "3.139.0";
const TYPE_TOKEN = "pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership";
const FIXTURE_0_1_0 = path.join(REPO_ROOT, "tests", "fixtures", "pulumi-alicloud-sg-membership-0.1.0.tgz");
const seed = exampleSeed("basic");
const key = seedKey(seed, "full");

let work: string;
let tarball: string;
let emulator: TestEmulator;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "sgm-consumers-"));
  tarball = packPackage(work);
  emulator = await startTestEmulator(seed);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await emulator?.close();
  rmSync(work, { recursive: true, force: true });
});

function project(settings: Parameters<typeof createConsumerProject>[0]): ConsumerProject {
  const created = createConsumerProject(settings);
  cleanups.push(() => created.remove());
  return created;
}

async function stackIn(dir: string, name: string): Promise<ThrowawayStack> {
  const stack = await ThrowawayStack.create({ name: `${name}-${process.pid}`, projectDir: dir, endpoint: emulator.url, credentials: key });
  cleanups.push(() => stack.remove());
  return stack;
}

const initial = () => membershipsOf(seed);
const joined = () => ({ ...initial(), "i-bp1web01": ["sg-bp1dbclients", "sg-bp1web"], "i-bp1app01": ["sg-bp1app", "sg-bp1dbclients"] });

/** The README's two memberships: up joins both, destroy leaves both, and nothing else moves. */
async function upAndDestroy(stack: ThrowawayStack): Promise<unknown[]> {
  await stack.up();
  expect(membershipsOf(await emulator.state())).toEqual(joined());
  const resources = (JSON.parse(await stack.exportState()).deployment.resources as { type: string }[]).filter((r) => r.type === TYPE_TOKEN);
  await stack.destroy();
  expect(membershipsOf(await emulator.state())).toEqual(initial());
  return resources;
}

test(
  "plain JavaScript without typescript: the README's program goes up and down, with a __provider of a few hundred bytes",
  async () => {
    const js = project({ name: "sgm-js-consumer", tarball, files: { "index.js": docBlock("README.md", "index.js") } });
    expect(existsSync(path.join(js.dir, "node_modules", "typescript"))).toBe(false);
    const stack = await stackIn(js.dir, "js");

    const resources = (await upAndDestroy(stack)) as { inputs: { __provider: string }; outputs: { __provider: string } }[];
    expect(resources).toHaveLength(2);
    for (const resource of resources) {
      expect(resource.inputs.__provider).toBe(SERIALIZED_PROVIDER);
      expect(resource.outputs.__provider).toBe(SERIALIZED_PROVIDER);
      expect(Buffer.byteLength(resource.inputs.__provider)).toBeLessThanOrEqual(1536);
    }
    expect(credentialLeaks([JSON.stringify(resources)], key)).toEqual([]);

    const seedFile = path.join(REPO_ROOT, "examples", "basic", "seed.json");
    for (const command of [
      ["npx", "ecs-emulator"],
      ["npx", "-p", "pulumi-alicloud-sg-membership", "ecs-emulator"],
    ]) {
      const started = await startEmulatorProcess(seedFile, { command, cwd: js.dir });
      expect(membershipsOf(await emulatorAdmin(started.url).state())).toEqual(initial());
      await started.stop();
    }
    expect(js.npm(["exec", "--", "sg-membership-recover", "--help"])).toMatch(/Usage: npx sg-membership-recover/);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "TypeScript: the README's program and offline test compile with the README's tsconfig.json (and under bundler resolution), run, and leave nothing of their own in the temp folder",
  async () => {
    const readmeTsconfig = docBlock("README.md", "tsconfig.json");
    const { compilerOptions } = JSON.parse(readmeTsconfig) as { compilerOptions: Record<string, unknown> };
    const ts = project({
      name: "sgm-ts-consumer",
      tarball,
      main: "bin/index.js",
      dependencies: { typescript: "~5.9.0", "@types/node": "^20.19.0" },
      files: {
        "index.ts": docBlock("README.md", "index.ts"),
        "test/membership.test.ts": docBlock("README.md", "test/membership.test.ts"),
        "tsconfig.json": readmeTsconfig,
        "tsconfig.bundler.json": JSON.stringify({
          compilerOptions: { ...compilerOptions, skipLibCheck: false, module: "preserve", moduleResolution: "bundler", noEmit: true },
          include: ["index.ts", "test"],
        }),
      },
    });
    ts.npm(["exec", "--", "tsc", "-p", "tsconfig.bundler.json"]);
    ts.npm(["exec", "--", "tsc"]);

    const home = mkdtempSync(path.join(work, "home-"));
    const temp = mkdtempSync(path.join(work, "tmp-"));
    const env = { ...pulumiEnv({ backendDir: mkdtempSync(path.join(work, "unused-backend-")), homeDir: home }), TMPDIR: temp };
    const run = (() => {
      try {
        return {
          code: 0,
          output: execFileSync(process.execPath, ["--test", "bin/test/membership.test.js"], { cwd: ts.dir, env, encoding: "utf8", stdio: "pipe" }),
        };
      } catch (error) {
        const failed = error as { status: number; stdout: string; stderr: string };
        return { code: failed.status, output: `${failed.stdout}\n${failed.stderr}` };
      }
    })();
    expect(run).toMatchObject({ code: 0, output: expect.stringMatching(/# pass 1/) });
    // Nothing of the test's own (its state folder is removed); ts-node's compile cache is the Node.js language host's,
    // kept across runs for every TypeScript program Pulumi runs.
    expect(readdirSync(temp).filter((name) => !name.startsWith("ts-node-"))).toEqual([]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  `the oldest @pulumi/pulumi admitted (${OLDEST_SDK}): the README's program goes up and down`,
  async () => {
    const oldest = project({ name: "sgm-oldest-sdk", tarball, pulumiVersion: OLDEST_SDK, files: { "index.js": docBlock("README.md", "index.js") } });
    await upAndDestroy(await stackIn(oldest.dir, "oldest-sdk"));
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a stack made with 0.1.0, upgraded in place: refresh, preview (no changes, no replacements), up and destroy",
  async () => {
    // 0.1.0 serialized its provider's class, which only a project with `typescript` installed could parse.
    const upgraded = project({
      name: "sgm-upgrade",
      tarball: FIXTURE_0_1_0,
      dependencies: { typescript: "~5.9.0" },
      files: { "index.js": docBlock("README.md", "index.js") },
    });
    const stack = await stackIn(upgraded.dir, "upgrade");
    await stack.up();
    expect(membershipsOf(await emulator.state())).toEqual(joined());
    const oldProvider = (JSON.parse(await stack.exportState()).deployment.resources as { type: string; inputs: { __provider: string } }[]).find(
      (r) => r.type === TYPE_TOKEN,
    )!.inputs.__provider;
    expect(oldProvider).toMatch(/require\("pulumi-alicloud-sg-membership\/dist\/provider\/membership-ops\.js"\)/);

    upgraded.npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", `pulumi-alicloud-sg-membership@file:${tarball}`]);
    await stack.refresh();
    expect(await stack.preview()).toEqual([]);
    await stack.up();
    const after = (JSON.parse(await stack.exportState()).deployment.resources as { type: string; inputs: { __provider: string } }[]).filter(
      (r) => r.type === TYPE_TOKEN,
    );
    expect(after.map((r) => r.inputs.__provider)).toEqual([SERIALIZED_PROVIDER, SERIALIZED_PROVIDER]);
    expect(membershipsOf(await emulator.state())).toEqual(joined());

    await stack.destroy();
    expect(membershipsOf(await emulator.state())).toEqual(initial());
  },
  PULUMI_TEST_TIMEOUT_MS,
);
