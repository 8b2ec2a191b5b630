import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { popClient } from "../helpers/emulator";
import { defaultSeed, IDS } from "../helpers/seed";

const CLI = path.join(__dirname, "..", "..", "emulator", "cli.js");
const READY = /^ECS emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/;

let dir: string;
let seedPath: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-emulator-cli-"));
  seedPath = path.join(dir, "seed.json");
  fs.writeFileSync(seedPath, JSON.stringify(defaultSeed()));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves with the URL once the ready line is out; fails if the process exits first. */
function ready(r: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = r.stdout().split("\n")[0]!;
      const match = r.stdout().includes("\n") ? READY.exec(line) : null;
      if (match) resolve(match[1]!);
    };
    r.child.stdout!.on("data", check);
    r.exited.then((code) => reject(new Error(`the CLI exited with ${code} before it was ready: ${r.stderr()}`)));
  });
}

describe("ecs-emulator CLI", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("prints exactly one ready line, serves, and exits 0 on %s", async (signal) => {
    const r = run(["--seed", seedPath, "--port", "0"]);
    const url = await ready(r);
    await expect(popClient(url).request("DescribeInstanceAttribute", { InstanceId: IDS.running })).resolves.toMatchObject({
      InstanceId: IDS.running,
    });
    r.child.kill(signal);
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe(`ECS emulator listening on ${url}\n`);
  });

  it("keeps state across restarts with --state", async () => {
    const statePath = path.join(dir, "state.json");
    const first = run(["--seed", seedPath, "--state", statePath]);
    await popClient(await ready(first)).request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = run(["--seed", seedPath, "--state", statePath]);
    const seen = await popClient(await ready(second)).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>(
      "DescribeInstanceAttribute",
      { InstanceId: IDS.stopped },
    );
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(seen.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgWeb]);
  });

  it("refuses to start a second emulator on the same --state file, naming the first one's PID", async () => {
    const statePath = path.join(dir, "shared-state.json");
    const first = run(["--seed", seedPath, "--state", statePath]);
    await ready(first);
    const second = run(["--seed", seedPath, "--state", statePath]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`state file ${statePath} is in use by another ECS emulator (PID ${first.child.pid})`);
    expect(second.stdout()).toBe("");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  });

  it.each([
    [[], 2, "--seed FILE is required"],
    [["--seed"], 2, "--seed needs a value"],
    [["--seed", "x", "--verbose", "1"], 2, "unknown argument --verbose"],
    [["--seed", "x", "--port", "http"], 2, "--port must be 0..65535"],
    [["--seed", "/nonexistent/seed.json"], 1, "cannot read seed file /nonexistent/seed.json"],
  ])("refuses %j with exit code %i and says why", async (args, code, message) => {
    const r = run(args);
    expect(await r.exited).toBe(code);
    expect(r.stderr()).toContain(message);
    expect(r.stdout()).toBe("");
  });
});
