/**
 * The package as users get it (`npm pack`, installed into a fresh project outside this repository), in a TypeScript
 * project with the README's tsconfig.json (and under bundler resolution): the README's program and its offline test
 * compile, and the test runs against the emulator it starts and leaves nothing of its own in the temp folder.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, readdirSync } from "fs";
import * as path from "path";
import { docBlock } from "../../../testing/doc-blocks";
import { useConsumerWorld } from "../../../testing/consumer-world";
import { pulumiEnv } from "../../../testing/pulumi-cli";
import { PULUMI_TEST_TIMEOUT_MS } from "../../../testing/example-world";

const world = useConsumerWorld();

test(
  "TypeScript: the README's program and offline test compile with the README's tsconfig.json (and under bundler resolution), run, and leave nothing of their own in the temp folder",
  () => {
    const readmeTsconfig = docBlock("README.md", "tsconfig.json");
    const { compilerOptions } = JSON.parse(readmeTsconfig) as { compilerOptions: Record<string, unknown> };
    const ts = world().project({
      name: "sgm-ts-consumer",
      tarball: world().tarball,
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

    const home = mkdtempSync(path.join(world().work, "home-"));
    const temp = mkdtempSync(path.join(world().work, "tmp-"));
    const env = { ...pulumiEnv({ backendDir: mkdtempSync(path.join(world().work, "unused-backend-")), homeDir: home }), TMPDIR: temp };
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
