/**
 * The package as users get it (`npm pack`, installed into a fresh project outside this repository), in a project made
 * from Pulumi's TypeScript template with the README's tsconfig.json in place of the template's: the README's program and
 * offline test compile under the template's typescript, the test runs as the README writes it and leaves nothing of its
 * own in the temp folder; the same files compile under the typescript that the README's
 * `npm install --save-dev typescript @types/node` adds to a Pulumi project without one, under npm's latest TypeScript,
 * and under bundler resolution. One project and one run: the installs and the run are most of the file's time.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { docBlock } from "../../../testing/doc-blocks";
import { npmIn, QUIET_INSTALL, type ConsumerProject } from "../../../testing/consumer-project";
import { useConsumerWorld } from "../../../testing/consumer-world";
import { pulumiEnv } from "../../../testing/pulumi-cli";
import { PULUMI_TEST_TIMEOUT_MS } from "../../../testing/example-world";

const world = useConsumerWorld();

/** The README's files: its program, its offline test, and the tsconfig.json that replaces the project's. */
const readmeFiles = () => ({
  "index.ts": docBlock("README.md", "index.ts"),
  "test/membership.test.ts": docBlock("README.md", "test/membership.test.ts"),
  "tsconfig.json": docBlock("README.md", "tsconfig.json"),
});

/**
 * What `pulumi new typescript` lays out (the pulumi/templates repository, folder typescript/, as of August 2026):
 * Pulumi.yaml names no program, package.json's `main` names index.ts, which the Node.js language host runs through
 * ts-node with the project's typescript; and these dependency ranges.
 */
const TEMPLATE = {
  pulumiYaml: (name: string) => `name: ${name}\nruntime: nodejs\n`,
  pulumiVersion: "^3.113.0",
  packageJson: { main: "index.ts", devDependencies: { "@types/node": "^18", typescript: "^5.0.0" } },
};

const typescriptVersionIn = (dir: string): string =>
  (JSON.parse(readFileSync(path.join(dir, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }).version;

/**
 * `tsc args…` with the typescript installed in `dir`; a failure names that TypeScript, with tsc's errors or, when tsc
 * could not start (TypeScript 7 without its platform's package, @typescript/typescript-<platform>-<arch>), its reason.
 */
function tsc(dir: string, args: string[], which: string): void {
  try {
    npmIn(dir, ["exec", "--", "tsc", ...args]);
  } catch (error) {
    throw new Error(`TypeScript ${typescriptVersionIn(dir)} (${which}) failed: ${(error as Error).message}`, { cause: error });
  }
}

/** The README's compiler options under bundler resolution, with the libraries' types checked too; returns its path. */
function bundlerTsconfig(project: ConsumerProject): string {
  const { compilerOptions } = JSON.parse(docBlock("README.md", "tsconfig.json")) as { compilerOptions: Record<string, unknown> };
  const file = path.join(project.dir, "tsconfig.bundler.json");
  writeFileSync(
    file,
    JSON.stringify({
      compilerOptions: { ...compilerOptions, skipLibCheck: false, module: "preserve", moduleResolution: "bundler", noEmit: true },
      include: ["index.ts", "test"],
    }),
  );
  return file;
}

/** `node --test` of the README's offline test, as the README runs it, with a temp folder of its own. */
function runOfflineTest(project: ConsumerProject): { code: number; output: string; temp: string } {
  const home = mkdtempSync(path.join(world().work, "home-"));
  const temp = mkdtempSync(path.join(world().work, "tmp-"));
  const env = { ...pulumiEnv({ backendDir: mkdtempSync(path.join(world().work, "unused-backend-")), homeDir: home }), TMPDIR: temp };
  try {
    const output = execFileSync(process.execPath, ["--test", "bin/test/membership.test.js"], {
      cwd: project.dir,
      env,
      encoding: "utf8",
      stdio: "pipe",
    });
    return { code: 0, output, temp };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}\n${failed.stderr}`, temp };
  }
}

test(
  "TypeScript, in a project made from Pulumi's TypeScript template with the README's tsconfig.json in place of the template's: the README's offline test compiles, runs as written and leaves nothing of its own in the temp folder; it compiles too with the typescript the README's `npm install` adds to a project without one, with npm's latest TypeScript, and under bundler resolution",
  () => {
    const name = "sgm-ts-template";
    const project = world().project({
      name,
      tarball: world().tarball,
      pulumiVersion: TEMPLATE.pulumiVersion,
      packageJson: TEMPLATE.packageJson,
      files: { ...readmeFiles(), "Pulumi.yaml": TEMPLATE.pulumiYaml(name) },
    });
    tsc(project.dir, [], "the template's typescript range");
    const run = runOfflineTest(project);
    expect(run).toMatchObject({ code: 0, output: expect.stringMatching(/# pass 1/) });
    // Nothing of the test's own (its state folder is removed); ts-node's compile cache is the Node.js language host's,
    // kept across runs for every TypeScript program Pulumi runs.
    expect(readdirSync(run.temp).filter((entry) => !entry.startsWith("ts-node-"))).toEqual([]);

    // The same project without TypeScript (as `pulumi new javascript` makes one), then the README's command as written,
    // with the registry's current versions (not npm's cache): npm picks the newest typescript that @pulumi/pulumi's peer
    // range allows.
    project.npm(["uninstall", ...QUIET_INSTALL, "typescript", "@types/node"]);
    project.npm(["install", "--save-dev", ...QUIET_INSTALL, "typescript", "@types/node"]);
    rmSync(path.join(project.dir, "bin"), { recursive: true });
    tsc(project.dir, [], "what `npm install --save-dev typescript` chose");
    expect(existsSync(path.join(project.dir, "bin", "test", "membership.test.js"))).toBe(true);

    // npm's latest in a folder of its own: while it is beyond @pulumi/pulumi's peer range (TypeScript 7 is, up to
    // @pulumi/pulumi 3.276 at least), npm refuses it in a Pulumi project, but a user may still compile with it.
    const latest = mkdtempSync(path.join(world().work, "typescript-latest-"));
    writeFileSync(path.join(latest, "package.json"), JSON.stringify({ private: true }));
    npmIn(latest, ["install", ...QUIET_INSTALL, "typescript@latest"]);
    const out = path.join(latest, "bin");
    tsc(latest, ["-p", path.join(project.dir, "tsconfig.json"), "--outDir", out], "npm's latest");
    expect(existsSync(path.join(out, "test", "membership.test.js"))).toBe(true);
    tsc(latest, ["-p", bundlerTsconfig(project)], "npm's latest, bundler resolution");
  },
  PULUMI_TEST_TIMEOUT_MS,
);
