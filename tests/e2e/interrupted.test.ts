/**
 * Interruptions as users meet them: `pulumi up` and `pulumi destroy` killed outright (the whole process group, as a CI
 * timeout or a power cut would) while Joins and Leaves are in flight, and the damage a kill can do to a file backend's
 * files (reproduced by hand: an emptied `<stack>.json.attrs`, a checkpoint cut short), each followed by the README's
 * one way back, run as written there: `npx sg-membership-recover`, with `--destroy` after a destroy.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { docBlock } from "../../testing/doc-blocks";
import { descendantsOf, isAlive } from "../../testing/process-tree";
import { eventually } from "../../testing/wait";
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";

const INSTANCES = ["i-bp1fleet01", "i-bp1fleet02", "i-bp1fleet03", "i-bp1fleet04"];
const GROUPS = ["sg-bp1fleet1", "sg-bp1fleet2", "sg-bp1fleet3"];
const config = {
  "sg-membership-examples:fleetInstanceIds": JSON.stringify(INSTANCES),
  "sg-membership-examples:fleetGroupIds": JSON.stringify(GROUPS),
};
const fleetIn = (groups: string[]) => Object.fromEntries(INSTANCES.map((id) => [id, [...groups].sort()]));
const BEFORE = fleetIn(["sg-bp1base"]);
const DECLARED = fleetIn(["sg-bp1base", ...GROUPS]);
const RECOVER_UP = docBlock("README.md", "recover-after-up");
const RECOVER_DESTROY = docBlock("README.md", "recover-after-destroy");

const world = useExampleWorld("fleet");

/** Every ECS write takes this long, so a kill finds several in flight. */
async function slowWrites(action: string): Promise<void> {
  await world().emulator.setFaults([{ action, kind: "latency", latencyMs: 400 }]);
}

/** The copies recovery kept of what it replaced, beside `file`. */
const keptCopies = (file: string) => readdirSync(path.dirname(file)).filter((name) => name.startsWith(`${path.basename(file)}.damaged-`));

test(
  "up killed mid-run: a plain up names the way out; sg-membership-recover reaches the declared memberships",
  async () => {
    const stack = await world().stack("killed-up", { config });
    await slowWrites("JoinSecurityGroup");
    const run = stack.start(["up"]);
    await eventually("four Joins sent", async () => (await world().count("JoinSecurityGroup")) >= 4, 60_000);
    const started = descendantsOf(run.pid);
    expect(started.length).toBeGreaterThan(0);
    run.killAll();
    await run.done;
    // The language host, the program and the dynamic-provider plugin went with the CLI: nothing is left running.
    await eventually("every process the killed CLI had started to be gone", async () => started.every((pid) => !isAlive(pid)));
    await world().emulator.clearFaults();
    await stack.cancel();

    const plain = await stack.up({ allowFailure: true });
    expect(plain.code).not.toBe(0);
    expect(plain.stdout + plain.stderr).toMatch(/has no record of creating that membership[\s\S]*interrupted[\s\S]*npx sg-membership-recover/);

    const recovered = await stack.shell(RECOVER_UP);
    expect(recovered.stdout).toMatch(/sg-membership-recover: done; \d+ pending create\(s\) resolved and cleared/);
    expect(await world().memberships()).toMatchObject(DECLARED);
    expect(JSON.parse(await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);
    expect(await stack.preview()).toEqual([]);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(BEFORE);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "destroy killed mid-run, stack still locked: sg-membership-recover --destroy cancels the lock and removes exactly what the stack made",
  async () => {
    const stack = await world().stack("killed-destroy", { config });
    await stack.up();
    expect(await world().memberships()).toMatchObject(DECLARED);
    await slowWrites("LeaveSecurityGroup");
    const leavesBefore = await world().count("LeaveSecurityGroup");
    const run = stack.start(["destroy"]);
    await eventually("four Leaves sent", async () => (await world().count("LeaveSecurityGroup")) - leavesBefore >= 4, 60_000);
    run.killAll();
    await run.done;
    await world().emulator.clearFaults();

    const recovered = await stack.shell(RECOVER_DESTROY);
    expect(recovered.stdout).toMatch(/the interrupted run still held the stack's lock \(pulumi run \d+ of .*\): cancelled it/);
    expect(recovered.stdout).toMatch(/sg-membership-recover: done; the destroy is finished/);
    expect(await world().memberships()).toMatchObject(BEFORE);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "an emptied .attrs beside a whole checkpoint: every command fails with `failed to load checkpoint: EOF`; sg-membership-recover repairs it and finishes",
  async () => {
    const stack = await world().stack("empty-attrs", { config });
    await stack.up();
    const checkpoint = stack.checkpointFile();
    const whole = readFileSync(checkpoint, "utf8");
    // What a kill between fileblob's os.Create of the .attrs file and its one write leaves behind.
    writeFileSync(`${checkpoint}.attrs`, "");

    const stuck = await stack.destroy({ allowFailure: true });
    expect(stuck.code).not.toBe(0);
    expect(stuck.stderr).toMatch(/^error: failed to load checkpoint: .*EOF$/m);

    const recovered = await stack.shell(RECOVER_DESTROY);
    expect(recovered.stdout).toMatch(/the checkpoint .* is whole, but the storage's metadata file beside it is damaged: it is empty/);
    expect(keptCopies(`${checkpoint}.attrs`)).toHaveLength(1);
    expect(await world().memberships()).toMatchObject(BEFORE);
    expect(readFileSync(checkpoint, "utf8")).not.toBe(whole);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a checkpoint cut short: sg-membership-recover puts back the newest readable earlier one, keeps the damaged one, and finishes",
  async () => {
    const stack = await world().stack("cut-checkpoint", { config });
    await stack.up();
    const checkpoint = stack.checkpointFile();
    const text = readFileSync(checkpoint, "utf8");
    writeFileSync(checkpoint, text.slice(0, Math.floor(text.length / 2)));
    expect((await stack.run(["stack", "export"], { allowFailure: true })).code).not.toBe(0);

    const recovered = await stack.shell(RECOVER_UP);
    expect(recovered.stdout).toMatch(/replaced it with the newest readable earlier checkpoint, .*\.json\.bak/);
    expect(keptCopies(checkpoint)).toHaveLength(1);
    expect(existsSync(checkpoint)).toBe(true);
    expect(await world().memberships()).toMatchObject(DECLARED);
    expect(await stack.preview()).toEqual([]);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(BEFORE);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
