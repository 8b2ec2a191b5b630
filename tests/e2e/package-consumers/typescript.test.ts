/**
 * The package as users get it (`npm pack`, installed into a fresh project outside this repository), in a TypeScript
 * project under `strict` with moduleResolution node16 and bundler: the README's program and its offline test compile,
 * and the test runs against the emulator it starts.
 */
import { execFileSync } from "child_process";
import { mkdtempSync } from "fs";
import * as path from "path";
import { docBlock } from "../../../testing/doc-blocks";
import { useConsumerWorld } from "../../../testing/consumer-world";
import { pulumiEnv } from "../../../testing/pulumi-cli";
import { PULUMI_TEST_TIMEOUT_MS } from "../../../testing/example-world";

const world = useConsumerWorld();

test(
  "TypeScript under strict, node16 and bundler resolution: the README's program and offline test compile and run",
  () => {
    const compilerOptions = { strict: true, target: "ES2022", types: ["node"], skipLibCheck: false, esModuleInterop: true };
    const ts = world().project({
      name: "sgm-ts-consumer",
      tarball: world().tarball,
      main: "bin/index.js",
      dependencies: { typescript: "~5.9.0", "@types/node": "^20.19.0" },
      files: {
        "index.ts": docBlock("README.md", "index.ts"),
        "test/membership.test.ts": docBlock("README.md", "test/membership.test.ts"),
        "tsconfig.json": JSON.stringify({
          compilerOptions: { ...compilerOptions, module: "node16", moduleResolution: "node16", rootDir: ".", outDir: "bin" },
          include: ["index.ts", "test"],
        }),
        "tsconfig.bundler.json": JSON.stringify({
          compilerOptions: { ...compilerOptions, module: "preserve", moduleResolution: "bundler", noEmit: true },
          include: ["index.ts", "test"],
        }),
      },
    });
    ts.npm(["exec", "--", "tsc", "-p", "tsconfig.bundler.json"]);
    ts.npm(["exec", "--", "tsc", "-p", "tsconfig.json"]);

    const home = mkdtempSync(path.join(world().work, "home-"));
    const env = pulumiEnv({ backendDir: mkdtempSync(path.join(world().work, "unused-backend-")), homeDir: home });
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
  },
  PULUMI_TEST_TIMEOUT_MS,
);
