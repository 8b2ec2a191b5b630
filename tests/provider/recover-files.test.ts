/**
 * sg-membership-recover without a Pulumi CLI: the repair of a file backend's stack files (on files laid out as the
 * CLI lays them out), its options, its reading of backend URLs, and, with a stand-in `pulumi` on PATH, its decisions:
 * on a backend whose files it must not touch it prints Pulumi's own way back and exits non-zero, changing nothing; it
 * asks which command to finish when the state cannot tell; it leaves a live run's lock alone and cancels a dead one's.
 */
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { hostname, tmpdir } from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { backendOf } from "../../provider/recovery/backend";
import { attrsState, checkpointState } from "../../provider/recovery/checkpoint-files";
import { parseOptions } from "../../provider/recovery/options";
import { repairStackFiles } from "../../provider/recovery/repair";
import { stackFiles, type StackFiles } from "../../provider/recovery/stack-files";
import { REPO_ROOT } from "../../testing/pulumi-cli";

const checkpointOf = (resources: number) =>
  JSON.stringify({ version: 3, checkpoint: { stack: "dev", latest: { resources: Array(resources).fill({}) } } });
const ATTRS = JSON.stringify({ "user.content_type": "application/octet-stream", md5: "AAAA" }) + "\n";

let dir: string;
let files: StackFiles;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "recover-files-"));
  files = stackFiles(dir, "proj", "dev");
  mkdirSync(path.dirname(files.checkpoint), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
const read = (file: string) => readFileSync(file, "utf8");
const asideOf = (file: string) => readdirSync(path.dirname(file)).filter((name) => name.startsWith(`${path.basename(file)}.damaged-`));

test("the layout is the CLI's: project-scoped stacks, history, backups and locks", () => {
  expect(path.relative(dir, files.checkpoint)).toBe(".pulumi/stacks/proj/dev.json");
  expect(path.relative(dir, files.historyDir)).toBe(".pulumi/history/proj/dev");
  expect(path.relative(dir, files.backupsDir)).toBe(".pulumi/backups/proj/dev");
  expect(path.relative(dir, files.locksDir)).toBe(".pulumi/locks/organization/proj/dev");
  expect(stackFiles(dir, "proj", "organization/other/prod").checkpoint).toBe(path.join(dir, ".pulumi/stacks/other/prod.json"));
});

test("a whole checkpoint with an empty .attrs: the .attrs is set aside (kept), the checkpoint is untouched", () => {
  write(files.checkpoint, checkpointOf(2));
  write(files.checkpoint + ".attrs", "");
  expect(attrsState(files.checkpoint)).toEqual({ damaged: "it is empty (0 bytes)" });

  const repair = repairStackFiles(files);
  expect(repair.changed).toBe(true);
  expect(repair.said.join("\n")).toMatch(/is whole, but the storage's metadata file beside it is damaged: it is empty[\s\S]*set it aside as/);
  expect(existsSync(files.checkpoint + ".attrs")).toBe(false);
  expect(asideOf(files.checkpoint + ".attrs")).toHaveLength(1);
  expect(read(files.checkpoint)).toBe(checkpointOf(2));
  expect(repairStackFiles(files)).toEqual({ said: [], changed: false });
});

test("a cut-short .attrs counts as damaged too; a whole one and a missing one do not", () => {
  write(files.checkpoint, checkpointOf(1));
  write(files.checkpoint + ".attrs", ATTRS.slice(0, 20));
  expect(attrsState(files.checkpoint)).toMatchObject({ damaged: expect.stringMatching(/cut short/) });
  write(files.checkpoint + ".attrs", ATTRS);
  expect(attrsState(files.checkpoint)).toBe("whole");
  rmSync(files.checkpoint + ".attrs");
  expect(attrsState(files.checkpoint)).toBe("missing");
  expect(repairStackFiles(files).changed).toBe(false);
});

test("a damaged checkpoint is replaced by the .bak, and what it replaced is kept", () => {
  write(files.checkpoint, checkpointOf(3).slice(0, 30));
  write(files.checkpoint + ".attrs", ATTRS);
  write(files.checkpoint + ".bak", checkpointOf(2));

  const repair = repairStackFiles(files);
  expect(repair.said.join("\n")).toMatch(/is damaged[\s\S]*replaced it with the newest readable earlier checkpoint, .*dev\.json\.bak/);
  expect(read(files.checkpoint)).toBe(checkpointOf(2));
  expect(asideOf(files.checkpoint).map((name) => read(path.join(path.dirname(files.checkpoint), name)))).toContain(checkpointOf(3).slice(0, 30));
  expect(existsSync(files.checkpoint + ".attrs")).toBe(false);
});

test("with the .bak damaged too: the newest readable of history, then backups (gzip read as the CLI reads it)", () => {
  write(files.checkpoint, "");
  write(files.checkpoint + ".bak", "{");
  write(path.join(files.historyDir, "dev-1700000000000000002.checkpoint.json"), '{"version":');
  write(path.join(files.historyDir, "dev-1700000000000000001.checkpoint.json"), gzipSync(checkpointOf(5)));
  write(path.join(files.historyDir, "dev-1700000000000000001.history.json"), "{}");
  write(path.join(files.backupsDir, "dev.1800000000000000000.json"), checkpointOf(9));

  repairStackFiles(files);
  expect(checkpointState(files.checkpoint)).toBe("whole");
  expect(readFileSync(files.checkpoint)).toEqual(gzipSync(checkpointOf(5)));
});

test("nothing readable to go back to: it says so and changes nothing", () => {
  write(files.checkpoint, '{"version": 3');
  write(files.checkpoint + ".bak", "");
  expect(() => repairStackFiles(files)).toThrow(/is damaged .* no readable earlier checkpoint was found .* nothing was changed/);
  expect(read(files.checkpoint)).toBe('{"version": 3');
  expect(asideOf(files.checkpoint)).toEqual([]);
});

test("a stack without a checkpoint is not 'repaired' from anything", () => {
  write(files.checkpoint + ".bak", checkpointOf(1));
  expect(() => repairStackFiles(files)).toThrow(/has no checkpoint in this backend/);
  expect(existsSync(files.checkpoint)).toBe(false);
});

test("options: --destroy and --up are its own, the stack and project options go to every pulumi command", () => {
  expect(parseOptions(["--yes", "--destroy", "--stack", "dev", "--cwd=infra"])).toMatchObject({
    mode: "destroy",
    passThrough: ["--yes", "--stack", "dev", "--cwd", "infra"],
    stackArgs: ["--stack", "dev", "--cwd", "infra"],
    stack: "dev",
    cwd: "infra",
  });
  expect(() => parseOptions(["--up", "--destroy"])).toThrow(/at most one/);
  expect(() => parseOptions(["--stack"])).toThrow(/--stack needs a value/);
  expect(() => parseOptions(["-s", "../../etc"])).toThrow(/is not a stack name/);
});

test("backend URLs: file:// paths as the CLI resolves them; of any other only the scheme is kept", () => {
  expect(backendOf("file:///var/state?no_tmp_dir=true", "/p")).toEqual({ kind: "file", dir: "/var/state", url: "file:///var/state?no_tmp_dir=true" });
  expect(backendOf("file://~/state", "/p")).toMatchObject({ kind: "file", dir: expect.stringMatching(/\/state$/) });
  expect(backendOf("file://rel/state", "/p")).toMatchObject({ dir: "/p/rel/state" });
  expect(backendOf("s3://bucket/x?region=cn&awssdk=v2", "/p")).toEqual({ kind: "other", scheme: "s3" });
  expect(backendOf("https://api.pulumi.com", "/p")).toEqual({ kind: "other", scheme: "https" });
});

/**
 * A stand-in `pulumi` on PATH that records every command it is given: `whoami` names `url`; `stack export` prints
 * `exported`, or fails as the CLI does on a stack it cannot open; anything else succeeds and does nothing.
 */
function fakePulumi(url: string, exported?: object): { run: (args: string[], cwd?: string) => ReturnType<typeof spawnSync>; calls: () => string[] } {
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const log = path.join(dir, "calls.log");
  const exportFile = path.join(dir, "exported.json");
  if (exported) write(exportFile, JSON.stringify(exported));
  const onExport = exported
    ? `cat "${exportFile}"`
    : `echo "error: failed to load checkpoint: blob (key \\".pulumi/stacks/proj/dev.json\\") (code=Unknown): EOF" >&2; exit 255`;
  const script = `#!/bin/sh
echo "$*" >> "${log}"
case "$1 $2" in
  "whoami --json") echo '{"user":"me","url":"${url}"}' ;;
  "stack export") ${onExport} ;;
  *) exit 0 ;;
esac
`;
  write(path.join(bin, "pulumi"), script);
  chmodSync(path.join(bin, "pulumi"), 0o755);
  const cli = path.join(REPO_ROOT, "dist", "provider", "recovery", "recover-cli.js");
  return {
    run: (args, cwd) =>
      spawnSync(process.execPath, [cli, ...args], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
      }),
    calls: () => read(log).trim().split("\n"),
  };
}

test("a backend whose files it must not touch: prints the commands that restore an earlier checkpoint, exits non-zero, runs nothing else", () => {
  const pulumi = fakePulumi("s3://state-bucket/pulumi?region=cn-hangzhou&secret=hush");
  const run = pulumi.run(["--yes", "--stack", "dev"]);
  expect(run.status).not.toBe(0);
  expect(run.stderr).toMatch(/cannot be opened, and it is kept in s3:\/\/ storage[\s\S]*Nothing was changed/);
  expect(run.stderr).toMatch(
    /pulumi stack history --stack dev[\s\S]*pulumi stack export --stack dev --version N[\s\S]*pulumi stack import --stack dev/,
  );
  expect(run.stderr).toMatch(/failed to load checkpoint/);
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/hush|state-bucket/);
  expect(pulumi.calls()).toEqual(["whoami --json", "stack export --stack dev"]);
});

describe("on a file backend whose stack opens", () => {
  const TYPE = "pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership";
  const pendingDelete = { type: "deleting", resource: { urn: "urn:pulumi:dev::proj::" + TYPE + "::m1", type: TYPE, inputs: {} } };
  let project: string;
  beforeEach(() => {
    project = path.join(dir, "project");
    write(path.join(project, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
    write(files.checkpoint, checkpointOf(1));
  });

  test("interrupted deletes and no creates, and no --destroy or --up: it asks which, and changes nothing", () => {
    const pulumi = fakePulumi(`file://${dir}`, { version: 3, deployment: { resources: [], pending_operations: [pendingDelete] } });
    const run = pulumi.run(["--yes", "--stack", "dev"], project);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/deleting 1 membership\(s\) and creating none[\s\S]*--destroy for a destroy, --up for an up\. Nothing was changed/);
    expect(pulumi.calls()).toEqual(["whoami --json", "stack export --stack dev"]);
  });

  test("a lock of a pulumi still running on this machine is another run's, not an interrupted one: it is left alone", () => {
    write(
      path.join(files.locksDir, "3f1c.json"),
      JSON.stringify({ pid: process.pid, username: "me", hostname: hostname(), timestamp: "2026-01-01T00:00:00Z" }),
    );
    const pulumi = fakePulumi(`file://${dir}`, { version: 3, deployment: { resources: [] } });
    const run = pulumi.run(["--yes", "--stack", "dev"], project);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`locked by a run that is still going \\(pulumi run ${process.pid} of me@`));
    expect(pulumi.calls()).toEqual(["whoami --json", "stack export --stack dev"]);
    expect(existsSync(path.join(files.locksDir, "3f1c.json"))).toBe(true);
  });

  test("a lock whose run is gone is cancelled, saying whose it was, before the update runs again", () => {
    write(
      path.join(files.locksDir, "3f1c.json"),
      JSON.stringify({ pid: 2 ** 22 + 1, username: "ci", hostname: "runner-7", timestamp: "2026-01-01T00:00:00Z" }),
    );
    const pulumi = fakePulumi(`file://${dir}`, { version: 3, deployment: { resources: [] } });
    const run = pulumi.run(["--yes", "--stack", "dev"], project);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/still held the stack's lock \(pulumi run 4194305 of ci@runner-7, started 2026-01-01T00:00:00Z\): cancelled it/);
    expect(pulumi.calls()).toEqual([
      "whoami --json",
      "stack export --stack dev",
      "cancel --yes --stack dev",
      "up --yes --stack dev",
      "stack export --stack dev",
    ]);
  });
});
