/**
 * The package as `npm publish` would ship it (a dry run): exactly what users need (the provider, the emulator, their
 * types, the commands' launchers, the README, LICENSE and CHANGELOG) and nothing else, every `exports` target and bin
 * inside it, and a tarball within its size budget.
 */
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { REPO_ROOT } from "../../testing/pulumi-cli";

/**
 * The budget for the published tarball and its unpacked size; 0.2.0 packs to about 104 kB and unpacks to 352 kB. The
 * provider plugin (provider/plugin/, about 50 kB of modules and types, its bin and its README section) took the unpacked
 * size to 508 kB. The preflight read (provider/membership/preflight*.ts, its README section) took them from
 * 218 kB and 739 kB to 223 kB and 756 kB.
 */
const PACKED_BUDGET_BYTES = 230_000;
const UNPACKED_BUDGET_BYTES = 770_000;

interface DryRun {
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

const manifest = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, "utf8")) as {
  name: string;
  scripts: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};
let published: DryRun;
let paths: Set<string>;

beforeAll(() => {
  // The build already ran (npm test builds first), so the pack must not rebuild the files the tests run from.
  const out = execFileSync("npm", ["publish", "--dry-run", "--ignore-scripts", "--json"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  published = (JSON.parse(out) as Record<string, DryRun>)[manifest.name]!;
  paths = new Set(published.files.map((f) => f.path));
});

test("ships the provider, the emulator and their types, the launchers, the Go SDK, README, LICENSE and CHANGELOG, and nothing else", () => {
  for (const required of [
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "package.json",
    "dist/provider/index.js",
    "dist/provider/index.d.ts",
    "dist/emulator/index.js",
    "dist/emulator/index.d.ts",
    "dist/emulator/cli.js",
    "dist/emulator/console/static/browser/console.js",
    "dist/provider/recovery/recover-cli.js",
    "bin/built.js",
    "bin/ecs-emulator.js",
    "bin/sg-membership-recover.js",
    "bin/pulumi-resource-alicloud-sg-membership.js",
    "dist/provider/plugin/run.js",
    "sdk/go/go.mod",
    "sdk/go/alicloudsgmembership/securityGroupMembership.go",
  ]) {
    expect(paths).toContain(required);
  }
  const unexpected = [...paths].filter(
    (p) => !/^(README\.md|LICENSE|CHANGELOG\.md|package\.json|bin\/[^/]+\.js|dist\/(provider|emulator)\/.+\.(js|d\.ts)|sdk\/go\/.+)$/.test(p),
  );
  expect(unexpected).toEqual([]);
});

test("every exports target and every bin is inside the package", () => {
  const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target)));
  expect(targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !paths.has(t))).toEqual([]);
  expect(Object.values(manifest.bin).filter((bin) => !paths.has(bin))).toEqual([]);
});

test(`the tarball stays within its budget (${PACKED_BUDGET_BYTES / 1000} kB packed, ${UNPACKED_BUDGET_BYTES / 1000} kB unpacked)`, () => {
  expect(published.size).toBeLessThanOrEqual(PACKED_BUDGET_BYTES);
  expect(published.unpackedSize).toBeLessThanOrEqual(UNPACKED_BUDGET_BYTES);
});

test("installs without an install script of its own (npm 11 warns of each), while npm ci in the repository and npm pack still build", () => {
  // npm 11 lists preinstall, install, postinstall and, for a tarball or git install, prepare as install scripts to approve.
  expect(Object.keys(manifest.scripts).filter((name) => ["preinstall", "install", "postinstall", "prepare"].includes(name))).toEqual([]);
  // npm ci and npm install run the project's own preprepare (never a dependency's); npm pack and publish run prepack.
  expect(manifest.scripts.preprepare).toBe("npm run build");
  expect(manifest.scripts.prepack).toBe("npm run build");
});
