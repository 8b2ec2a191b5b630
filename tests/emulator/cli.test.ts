import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { adminRequest, emulatorAdmin, type Seed } from "../../emulator";
import { DEFAULT_WORLD_NAME, defaultWorld } from "../../emulator/default-world";
import { EMULATOR_CLI, readyUrl, runProcess, runToExit, type ProcessRun } from "../../testing/processes";
import { REPO_ROOT } from "../../testing/pulumi-cli";
import { popClient } from "../../testing/test-emulator";
import { defaultSeed, IDS } from "../../testing/default-world";
import { eventually } from "../../testing/wait";

let dir: string;
let seedPath: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-emulator-cli-"));
  seedPath = path.join(dir, "seed.json");
  fs.writeFileSync(seedPath, JSON.stringify(defaultSeed()));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]): ProcessRun => runProcess([process.execPath, EMULATOR_CLI, ...args]);
const ready = (r: ProcessRun): Promise<string> => readyUrl(r);

describe("ecs-emulator CLI", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("prints exactly one ready line, serves, and exits 0 on %s", async (signal) => {
    const r = run(["--seed", seedPath, "--port", "0"]);
    const url = await ready(r);
    await expect(popClient(url).request("DescribeInstanceAttribute", { InstanceId: IDS.running })).resolves.toMatchObject({
      InstanceId: IDS.running,
    });
    r.child.kill(signal);
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe(`ECS emulator listening on ${url}\nECS emulator console: ${url}/_emulator/console\n`);
  });

  it("keeps state across restarts with --state", async () => {
    const statePath = path.join(dir, "state.json");
    const first = run(["--seed", seedPath, "--state", statePath]);
    await popClient(await ready(first)).request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = run(["--seed", seedPath, "--state", statePath]);
    const seen = await popClient(await ready(second)).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
      InstanceId: IDS.stopped,
    });
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

  it("warns on stderr when listening beyond loopback, and prints a generated admin token that the admin API then requires", async () => {
    const r = run(["--seed", seedPath, "--host", "0.0.0.0", "--generate-admin-token"]);
    await new Promise<void>((resolve) => {
      const check = () => r.stdout().split("\n").length > 3 && resolve();
      r.child.stdout!.on("data", check);
      check();
    });
    const [readyLine, tokenLine, consoleLine] = r.stdout().split("\n");
    const port = /^ECS emulator listening on http:\/\/0\.0\.0\.0:(\d+)$/.exec(readyLine!)![1];
    const token = /^ECS emulator admin token: (\S{20,})$/.exec(tokenLine!)![1]!;
    expect(consoleLine).toBe(`ECS emulator console: http://0.0.0.0:${port}/_emulator/console#token=${token}`);
    expect(r.stderr()).toContain("warning: listening on 0.0.0.0, beyond loopback: other machines can reach the ECS API");
    const url = `http://127.0.0.1:${port}`;
    await expect(emulatorAdmin(url).state()).rejects.toThrow("401");
    await expect(emulatorAdmin(url, { token }).state()).resolves.toMatchObject({ instances: expect.any(Array) });
    r.child.kill("SIGTERM");
    expect(await r.exited).toBe(0);
  });

  it("says nothing on stderr on loopback, and prints its usage for --help", async () => {
    const r = run(["--seed", seedPath, "--admin-token", "tok-123"]);
    const url = await ready(r);
    await expect(emulatorAdmin(url, { token: "tok-123" }).stats()).resolves.toEqual({ actions: {}, total: 0, refused: {} });
    r.child.kill("SIGTERM");
    expect(await r.exited).toBe(0);
    expect(r.stderr()).toBe("");
    const help = run(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain("--generate-admin-token");
  });

  it("writes its own PID to --pid-file even under a shell (as npx runs it): killing that PID frees the port and removes the file", async () => {
    const pidFile = path.join(dir, "under-shell.pid");
    // A command after the emulator keeps the shell from exec'ing into it, as npx's shell does not either.
    const shell = runProcess(["sh", "-c", '"$@"; exit $?', "sh", process.execPath, EMULATOR_CLI, "--seed", seedPath, "--pid-file", pidFile]);
    const port = new URL(await ready(shell)).port;
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(pid).not.toBe(shell.child.pid);
    process.kill(pid, "SIGTERM");
    expect(await shell.exited).toBe(0);
    expect(fs.existsSync(pidFile)).toBe(false);
    const again = run(["--seed", seedPath, "--port", port]);
    expect(await ready(again)).toBe(`http://127.0.0.1:${port}`);
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  });

  it("--detach returns once the emulator listens, leaving it running in the background until its PID is killed", async () => {
    const pidFile = path.join(dir, "detached.pid");
    const command = run(["--seed", seedPath, "--pid-file", pidFile, "--detach"]);
    expect(await command.exited).toBe(0);
    const url = /^ECS emulator listening on (\S+)\nECS emulator console: \1\/_emulator\/console\n$/.exec(command.stdout())?.[1];
    expect(url).toBeDefined();
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(pid).not.toBe(command.child.pid);
    await expect(emulatorAdmin(url!).stats()).resolves.toMatchObject({ total: 0, refused: {} });
    process.kill(pid, "SIGTERM");
    await eventually("the detached emulator has exited and removed its PID file", async () => !fs.existsSync(pidFile), 10_000);
    await expect(emulatorAdmin(url!).stats()).rejects.toThrow();
  });

  it("without --seed starts the default world, the basic example's, and says so on its ready line", async () => {
    const r = run([]);
    const url = await ready(r);
    expect(r.stdout().split("\n")[0]).toBe(`ECS emulator listening on ${url} (default world: ${DEFAULT_WORLD_NAME})`);
    const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "examples", "basic", "seed.json"), "utf8")) as Seed;
    expect(defaultWorld()).toEqual(example);
    const state = await emulatorAdmin(url).state();
    expect(state.instances.map((i) => i.instanceId)).toEqual(example.instances.map((i) => i.instanceId));
    expect(state.accessKeys.map((k) => k.accessKeyId)).toEqual(example.accessKeys.map((k) => k.accessKeyId));
    r.child.kill("SIGTERM");
    expect(await r.exited).toBe(0);
  });

  it("status and stop find a detached emulator by its PID file, and by its port through GET /_emulator/health", async () => {
    const pidFile = path.join(dir, "control.pid");
    const start = run(["--pid-file", pidFile, "--detach", "--admin-token", "tok-ctl"]);
    expect(await start.exited).toBe(0);
    const url = /^ECS emulator listening on (\S+)/.exec(start.stdout())![1]!;
    const port = new URL(url).port;
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    await expect(adminRequest(url, "GET", "health", undefined, { token: "tok-ctl" })).resolves.toEqual({ status: "ok", pid });
    await expect(adminRequest(url, "GET", "health")).rejects.toThrow("401");

    const byFile = await runToExit([process.execPath, EMULATOR_CLI, "status", "--pid-file", pidFile]);
    expect([await byFile.exited, byFile.stdout()]).toEqual([0, `ECS emulator running: PID ${pid}, PID file ${pidFile}\n`]);
    const byPort = await runToExit([process.execPath, EMULATOR_CLI, "status", "--port", port, "--admin-token", "tok-ctl"]);
    expect([await byPort.exited, byPort.stdout()]).toEqual([0, `ECS emulator running: PID ${pid}, ${url}\n`]);

    const stop = await runToExit([process.execPath, EMULATOR_CLI, "stop", "--port", port, "--admin-token", "tok-ctl"]);
    expect([await stop.exited, stop.stdout()]).toEqual([0, `ECS emulator stopped (PID ${pid}, ${url})\n`]);
    await eventually("the stopped emulator has removed its PID file", async () => !fs.existsSync(pidFile), 10_000);
    const after = await runToExit([process.execPath, EMULATOR_CLI, "status", "--port", port]);
    expect([await after.exited, after.stdout()]).toEqual([3, `ECS emulator not running: nothing listens on ${url}\n`]);
    const again = await runToExit([process.execPath, EMULATOR_CLI, "stop", "--pid-file", pidFile]);
    expect(await again.exited).toBe(0);
    expect(again.stdout()).toContain(`no PID file ${pidFile}`);
  });

  it("stop by PID file waits until the emulator has exited, and a stale PID file is removed, its PID never signalled", async () => {
    const pidFile = path.join(dir, "stop.pid");
    const r = run(["--seed", seedPath, "--pid-file", pidFile]);
    await ready(r);
    const stop = await runToExit([process.execPath, EMULATOR_CLI, "stop", "--pid-file", pidFile]);
    expect(await stop.exited).toBe(0);
    expect(stop.stdout()).toBe(`ECS emulator stopped (PID ${r.child.pid}, PID file ${pidFile})\n`);
    expect(await r.exited).toBe(0);
    // This test's own process is alive but no emulator: a reused PID must not be stopped.
    fs.writeFileSync(pidFile, `${process.pid}\n`);
    const stale = await runToExit([process.execPath, EMULATOR_CLI, "status", "--pid-file", pidFile]);
    expect([await stale.exited, stale.stdout()]).toEqual([
      3,
      `ECS emulator not running: PID ${process.pid} in ${pidFile} is no longer an ECS emulator (stale file removed)\n`,
    ]);
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it("--detach without --pid-file is refused: there would be no way to stop it", async () => {
    const command = run(["--seed", seedPath, "--detach"]);
    expect(await command.exited).toBe(2);
    expect(command.stderr()).toContain("--detach needs --pid-file FILE");
  });

  it("replaces a --pid-file another emulator wrote, and leaves that one's PID in it on exit", async () => {
    const pidFile = path.join(dir, "shared.pid");
    const first = run(["--seed", seedPath, "--pid-file", pidFile]);
    await ready(first);
    const second = run(["--seed", seedPath, "--pid-file", pidFile]);
    await ready(second);
    expect(fs.readFileSync(pidFile, "utf8")).toBe(`${second.child.pid}\n`);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(fs.readFileSync(pidFile, "utf8")).toBe(`${second.child.pid}\n`);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it("refuses a port in use in one line that names it and says what to do", async () => {
    const first = run(["--seed", seedPath]);
    const port = new URL(await ready(first)).port;
    const second = run(["--seed", seedPath, "--port", port]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toBe(
      `ecs-emulator: port ${port} on 127.0.0.1 is already in use (another ECS emulator still running?): stop it, or choose another port (--port 0 picks a free one)\n`,
    );
    expect(second.stdout()).toBe("");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  });

  it.each([
    [["--seed", "x", "--admin-token", "a", "--generate-admin-token"], 2, "give --admin-token or --generate-admin-token, not both"],
    [["--seed", "x", "--admin-token", "with space"], 2, "--admin-token must be visible ASCII characters"],
    [["--seed", "x", "stray"], 2, "unexpected argument stray"],
  ])("refuses %j with exit code %i and says why", async (args, code, message) => {
    const r = run(args);
    expect(await r.exited).toBe(code);
    expect(r.stderr()).toContain(message);
  });

  it.each([
    [["stop"], 2, "stop needs --pid-file FILE or --port N"],
    [["status", "--pid-file", "x", "--port", "1"], 2, "status needs --pid-file FILE or --port N"],
    [["stop", "--port", "1", "--seed", "x"], 2, "--seed does not apply to stop"],
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
