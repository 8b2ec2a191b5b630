import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emulatorAdmin, startEmulator, type Seed } from "../../emulator";
import { popClient } from "../../testing/test-emulator";
import { defaultSeed, IDS } from "../../testing/default-world";

let dir: string;
let statePath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-emulator-state-"));
  statePath = path.join(dir, "state.json");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const groupsOf = (state: Seed, instanceId: string) => state.instances.find((i) => i.instanceId === instanceId)!.securityGroupIds;
const savedState = () => JSON.parse(fs.readFileSync(statePath, "utf8")) as Seed;

async function withEmulator<T>(seed: Seed | string, run: (url: string) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ seed, statePath });
  try {
    return await run(emulator.url);
  } finally {
    await emulator.close();
  }
}

describe("--state", () => {
  it("saves each mutation before answering, and a restart continues from it rather than from the seed", async () => {
    await withEmulator(defaultSeed(), async (url) => {
      expect(groupsOf(savedState(), IDS.stopped)).toEqual([IDS.sgWeb, IDS.sgDb]);
      await popClient(url, undefined, { method: "POST" }).request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb });
      expect(groupsOf(savedState(), IDS.stopped)).toEqual([IDS.sgWeb]);
      await popClient(url).request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps });
      expect(groupsOf(savedState(), IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);
    });
    await withEmulator(defaultSeed(), async (url) => {
      const seen = await popClient(url).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
        InstanceId: IDS.stopped,
      });
      expect(seen.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgWeb]);
    });
  });

  it("saves out-of-band patches and runtime fault rules too", async () => {
    await withEmulator(defaultSeed(), async (url) => {
      const headers = { "content-type": "application/json" };
      await fetch(`${url}/_emulator/faults`, {
        method: "PUT",
        headers,
        body: JSON.stringify({ rules: [{ action: "*", kind: "timeout", times: 1 }], rngSeed: 3 }),
      });
      const patched = await fetch(`${url}/_emulator/world`, {
        method: "POST",
        headers,
        body: JSON.stringify({ upsert: { instances: [{ instanceId: IDS.locked, locked: false }] } }),
      });
      expect(patched.status).toBe(200);
    });
    const saved = savedState();
    expect(saved.instances.find((i) => i.instanceId === IDS.locked)!.locked).toBe(false);
    expect(saved.faults).toEqual([{ action: "*", kind: "timeout", times: 1 }]);
    expect(saved.rngSeed).toBe(3);
  });

  it("does not save failed mutations or reads", async () => {
    await withEmulator(defaultSeed(), async (url) => {
      const before = fs.statSync(statePath).mtimeMs;
      const content = fs.readFileSync(statePath, "utf8");
      await popClient(url)
        .request("LeaveSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgWeb })
        .catch(() => undefined);
      await popClient(url).request("DescribeInstanceAttribute", { InstanceId: IDS.running });
      expect(fs.readFileSync(statePath, "utf8")).toBe(content);
      expect(fs.statSync(statePath).mtimeMs).toBe(before);
    });
  });

  it("ignores temp files left by a crash mid-write, whole or truncated", async () => {
    await withEmulator(defaultSeed(), (url) => popClient(url).request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb }));
    const good = fs.readFileSync(statePath, "utf8");
    fs.writeFileSync(path.join(dir, ".state.json.99999.tmp"), good.slice(0, good.length / 2));
    fs.writeFileSync(path.join(dir, `.state.json.${process.pid}.tmp`), "{");
    await withEmulator(defaultSeed(), async (url) => {
      const seen = await popClient(url).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
        InstanceId: IDS.stopped,
      });
      expect(seen.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgWeb]);
      await popClient(url).request("JoinSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps });
    });
    expect(groupsOf(savedState(), IDS.stopped)).toEqual([IDS.sgWeb, IDS.sgOps]);
  });

  it("always writes a state it can restart from, even with every setting at its bound", async () => {
    await withEmulator(defaultSeed(), async (url) => {
      const settings = { conflictWindowMs: 86_400_000, statusDelaysMs: { stoppingToStopped: 86_400_000 }, readAfterWriteLagMs: 600_000 };
      expect((await emulatorAdmin(url).patch({ settings })).settings).toMatchObject(settings);
      await popClient(url).request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps });
      await popClient(url).request("StopInstance", { InstanceId: IDS.running });
    });
    await withEmulator(defaultSeed(), async (url) => {
      const seen = await popClient(url).request<{ Status: string }>("DescribeInstanceAttribute", { InstanceId: IDS.running });
      expect(seen.Status).toBe("Stopping");
    });
  });

  it("keeps memory, file and answer in agreement when a write fails: the change is not made", async () => {
    const json = { "content-type": "application/json" };
    await withEmulator(defaultSeed(), async (url) => {
      const admin = emulatorAdmin(url);
      await admin.setFaults([{ action: "DescribeRegions", kind: "drop" }], 5);
      // A directory where the state file was: every write now fails at its rename.
      fs.rmSync(statePath);
      fs.mkdirSync(statePath);
      const join = await popClient(url)
        .request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps })
        .catch((e: { code: string }) => e);
      expect(join).toMatchObject({ code: "InternalError" });
      const seen = await popClient(url).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
        InstanceId: IDS.running,
      });
      expect(seen.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgWeb]);
      const patch = await fetch(`${url}/_emulator/world`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ upsert: { instances: [{ instanceId: IDS.locked, locked: false }] }, settings: { conflictWindowMs: 5 } }),
      });
      expect(patch.status).toBe(500);
      expect(((await patch.json()) as { message: string }).message).toMatch(/could not save the state .* so the change was not made/);
      const faults = await fetch(`${url}/_emulator/faults`, { method: "DELETE", headers: json });
      expect(faults.status).toBe(500);
      const state = await admin.state();
      expect(groupsOf(state, IDS.running)).toEqual([IDS.sgWeb]);
      expect(state.instances.find((i) => i.instanceId === IDS.locked)!.locked).toBe(true);
      expect(state.settings!.conflictWindowMs).toBe(0);
      expect(state.faults).toEqual([{ action: "DescribeRegions", kind: "drop" }]);
      expect(fs.readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      // Once writes work again, the next change is saved on top of what memory holds: no trace of the failed join.
      fs.rmSync(statePath, { recursive: true });
      await popClient(url).request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb });
    });
    const saved = savedState();
    expect(groupsOf(saved, IDS.running)).toEqual([IDS.sgWeb]);
    expect(groupsOf(saved, IDS.stopped)).toEqual([IDS.sgWeb]);
    expect(saved.faults).toEqual([{ action: "DescribeRegions", kind: "drop" }]);
  });

  it("saves PUT and DELETE of fault rules, so cleared rules stay cleared after a restart", async () => {
    await withEmulator(defaultSeed(), (url) => emulatorAdmin(url).setFaults([{ action: "JoinSecurityGroup", kind: "timeout" }], 11));
    expect(savedState()).toMatchObject({ faults: [{ action: "JoinSecurityGroup", kind: "timeout" }], rngSeed: 11 });
    await withEmulator(defaultSeed(), async (url) => {
      expect(await emulatorAdmin(url).state()).toMatchObject({ faults: [{ action: "JoinSecurityGroup", kind: "timeout" }], rngSeed: 11 });
      await emulatorAdmin(url).clearFaults();
    });
    await withEmulator(defaultSeed(), async (url) => {
      expect((await emulatorAdmin(url).state()).faults).toEqual([]);
      await expect(popClient(url).request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps })).resolves.toBeDefined();
    });
  });

  it("writes through a randomly named temp file created exclusively: a symlink planted at the old name is not followed", async () => {
    const victim = path.join(dir, "victim.txt");
    fs.writeFileSync(victim, "untouched");
    await withEmulator(defaultSeed(), async (url) => {
      fs.symlinkSync(victim, path.join(dir, `.state.json.${process.pid}.tmp`));
      await popClient(url).request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps });
    });
    expect(fs.readFileSync(victim, "utf8")).toBe("untouched");
    expect(fs.lstatSync(statePath).isFile()).toBe(true);
    expect(groupsOf(savedState(), IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);
  });

  it("removes temp files left by killed runs at start, and only those of its state file", async () => {
    const leftovers = [".state.json.99999.tmp", ".state.json.4f2a9c.tmp", ".state.json.lock.77a1.tmp"];
    for (const name of leftovers) fs.writeFileSync(path.join(dir, name), "{");
    fs.writeFileSync(path.join(dir, ".other.json.1.tmp"), "{");
    await withEmulator(defaultSeed(), async () => {
      expect(fs.readdirSync(dir).sort()).toEqual([".other.json.1.tmp", "state.json", "state.json.lock"]);
    });
    expect(fs.readdirSync(dir).sort()).toEqual([".other.json.1.tmp", "state.json"]);
  });

  it("holds a lock on the state file: a second emulator on it refuses to start, naming the first", async () => {
    await withEmulator(defaultSeed(), async (url) => {
      await expect(startEmulator({ seed: defaultSeed(), statePath })).rejects.toThrow(
        `state file ${statePath} is in use by another ECS emulator (PID ${process.pid})`,
      );
      await expect(popClient(url).request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps })).resolves.toBeDefined();
    });
    await withEmulator(defaultSeed(), async (url) => {
      const seen = await popClient(url).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
        InstanceId: IDS.running,
      });
      expect(seen.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgWeb, IDS.sgOps]);
    });
  });

  it("takes over the lock of a run that was killed", async () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    fs.writeFileSync(`${statePath}.lock`, `${gone}\n`);
    await withEmulator(defaultSeed(), async () => {
      expect(fs.readFileSync(`${statePath}.lock`, "utf8")).toBe(`${process.pid}\n`);
    });
    expect(fs.existsSync(`${statePath}.lock`)).toBe(false);
  });

  it("releases the lock when it fails to start", async () => {
    fs.writeFileSync(statePath, "{");
    await expect(startEmulator({ seed: defaultSeed(), statePath })).rejects.toThrow("is not valid JSON");
    expect(fs.existsSync(`${statePath}.lock`)).toBe(false);
  });

  it("refuses to start on a corrupt state file instead of silently starting over from the seed", async () => {
    fs.writeFileSync(statePath, '{"accessKeys": [');
    await expect(startEmulator({ seed: defaultSeed(), statePath })).rejects.toThrow(`state file ${statePath} is not valid JSON`);
  });

  it("loads a seed from a file path and says what is wrong with a bad one", async () => {
    const seedPath = path.join(dir, "seed.json");
    fs.writeFileSync(seedPath, JSON.stringify(defaultSeed()));
    await withEmulator(seedPath, async (url) => {
      await expect(popClient(url).request("DescribeInstanceAttribute", { InstanceId: IDS.running })).resolves.toBeDefined();
    });
    fs.writeFileSync(seedPath, JSON.stringify({ ...defaultSeed(), instances: [{ instanceId: "web" }] }));
    await expect(startEmulator({ seed: seedPath })).rejects.toThrow(`seed file ${seedPath} is not a valid world`);
    await expect(startEmulator({ seed: path.join(dir, "missing.json") })).rejects.toThrow("cannot read seed file");
    fs.writeFileSync(seedPath, JSON.stringify({ ...defaultSeed(), faults: [{ action: "*", kind: "meltdown" }] }));
    await expect(startEmulator({ seed: seedPath })).rejects.toThrow(
      `seed file ${seedPath} has invalid fault settings: faults[0].kind must be one of`,
    );
  });
});
