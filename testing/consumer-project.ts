/**
 * The package as users get it: packed with `npm pack`, installed from the tarball into a fresh Pulumi project outside
 * this repository, beside the @pulumi/pulumi version the project chooses. Used by the consumer tests and bench:scale.
 */
import { execFileSync } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { REPO_ROOT } from "./pulumi-cli";

/** The SDK version the repository develops with (its devDependency). */
export const DEVELOPMENT_SDK_VERSION: string = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }
).devDependencies["@pulumi/pulumi"]!;

/** The SDK consumer projects get by default: the development version, or CONSUMER_PULUMI_VERSION (the Node 22 run's newest). */
export const CONSUMER_SDK_VERSION: string = process.env.CONSUMER_PULUMI_VERSION ?? DEVELOPMENT_SDK_VERSION;

/**
 * `npm pack` of the repository as built now (`npm run build` must have run: scripts are skipped so a pack during the
 * tests cannot rebuild the files the tests are running from), copied into `into`. Returns the tarball's path.
 */
export function packPackage(into: string): string {
  mkdirSync(into, { recursive: true });
  const packed = packedBuild();
  const tarball = path.join(into, path.basename(packed));
  copyFileSync(packed, tarball);
  return tarball;
}

/** The build's tarball, kept for the test files that each need it (a pack costs ~2.5 s of CPU). */
const PACKED_DIR = path.join(REPO_ROOT, "dist", "packed");
/** What `npm pack` puts in the tarball (package.json's `files`, and the files npm always adds). */
const PACKED_INPUTS = ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin", "dist/provider", "dist/emulator", "sdk/go"];

/** The newest change to what the tarball holds. */
function newestPackedInput(): number {
  return Math.max(
    ...PACKED_INPUTS.map((entry) => path.join(REPO_ROOT, entry)).flatMap((entry) =>
      statSync(entry).isDirectory()
        ? readdirSync(entry, { recursive: true, withFileTypes: true }).map((file) => statSync(path.join(file.parentPath, file.name)).mtimeMs)
        : [statSync(entry).mtimeMs],
    ),
  );
}

/** The tarball of the build, packed again when anything it holds has changed since (or never packed). */
function packedBuild(): string {
  mkdirSync(PACKED_DIR, { recursive: true });
  const kept = readdirSync(PACKED_DIR).find((name) => name.endsWith(".tgz"));
  if (kept && statSync(path.join(PACKED_DIR, kept)).mtimeMs > newestPackedInput()) return path.join(PACKED_DIR, kept);
  // Packed beside, then renamed into place: files packing at once each get a whole tarball.
  const scratch = mkdtempSync(path.join(PACKED_DIR, "pack-"));
  try {
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", scratch], { cwd: REPO_ROOT, encoding: "utf8" });
    const name = out.trim().split("\n").at(-1)!;
    renameSync(path.join(scratch, name), path.join(PACKED_DIR, name));
    return path.join(PACKED_DIR, name);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface ConsumerSettings {
  /** The project's name (Pulumi.yaml and package.json). */
  name: string;
  /** Installed as the dependency `pulumi-alicloud-sg-membership`. */
  tarball: string;
  /** Default: CONSUMER_SDK_VERSION. */
  pulumiVersion?: string;
  /** More dependencies, e.g. typescript. */
  dependencies?: Record<string, string>;
  /** More package.json fields, e.g. a template's `main` and `devDependencies`. */
  packageJson?: Record<string, unknown>;
  /** The program's entry, relative to the project (default index.js). */
  main?: string;
  /** Files of the project, by relative path: the program, tsconfig.json, … (a Pulumi.yaml here replaces the default one). */
  files: Record<string, string>;
}

export interface ConsumerProject {
  dir: string;
  /** Runs an npm command in the project (e.g. `exec tsc -- --noEmit`), returning its output; throws with it on failure. */
  npm(args: string[]): string;
  remove(): void;
}

/** `npm install`'s options for a test's installs: only errors printed. */
export const QUIET_INSTALL = ["--no-audit", "--no-fund", "--loglevel=error"];

/** Runs an npm command in `dir`, returning its output; throws with its output (npm's and the command's) on failure. */
export function npmIn(dir: string, args: string[]): string {
  try {
    return execFileSync("npm", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(" ")} failed in ${dir}:\n${failed.stdout ?? ""}${failed.stderr ?? ""}`, { cause: error });
  }
}

/** A directory outside the repository, so nothing resolves through the repository's own node_modules. */
export function createConsumerProject(settings: ConsumerSettings): ConsumerProject {
  const dir = mkdtempSync(path.join(tmpdir(), `${settings.name}-`));
  const manifest = {
    name: settings.name,
    version: "0.0.0",
    private: true,
    dependencies: {
      "@pulumi/pulumi": settings.pulumiVersion ?? CONSUMER_SDK_VERSION,
      "pulumi-alicloud-sg-membership": `file:${settings.tarball}`,
      ...settings.dependencies,
    },
    ...settings.packageJson,
  };
  const files: Record<string, string> = {
    "package.json": JSON.stringify(manifest, null, 2),
    "Pulumi.yaml": `name: ${settings.name}\nruntime: nodejs\nmain: ${settings.main ?? "index.js"}\n`,
    ...settings.files,
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  const npm = (args: string[]) => npmIn(dir, args);
  npm(["install", ...QUIET_INSTALL, "--prefer-offline"]);
  return { dir, npm, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
