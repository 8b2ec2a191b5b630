/**
 * Interruptions as users meet them: `pulumi up` and `pulumi destroy` killed outright (the whole process group, as a CI
 * timeout or a power cut would) while Joins and Leaves are in flight, then the README's way back. After an interrupted
 * up, a plain `pulumi up` refuses the memberships the killed run made and names the way out; `pulumi cancel` and
 * `npx sg-membership-recover` then reach exactly the declared memberships, touching nothing else.
 */
import { docBlock } from "../../testing/doc-blocks";
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

const world = useExampleWorld("fleet");

/** Every ECS write takes this long, so a kill finds several in flight. */
async function slowWrites(action: string): Promise<void> {
  await world().emulator.setFaults([{ action, kind: "latency", latencyMs: 400 }]);
}

test(
  "up killed mid-run: a plain up names the way out; cancel and sg-membership-recover reach the declared memberships",
  async () => {
    const stack = await world().stack("killed-up", { config });
    await slowWrites("JoinSecurityGroup");
    const run = stack.start(["up"]);
    await eventually("four Joins sent", async () => (await world().count("JoinSecurityGroup")) >= 4, 60_000);
    run.killAll();
    await run.done;
    await world().emulator.clearFaults();
    await stack.cancel();

    const plain = await stack.up({ allowFailure: true });
    expect(plain.code).not.toBe(0);
    expect(plain.stdout + plain.stderr).toMatch(/has no record of creating that membership[\s\S]*interrupted[\s\S]*npx sg-membership-recover/);

    // The README's way back, as written there.
    const recovered = await stack.shell(docBlock("README.md", "recover-after-interrupt"));
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
  "destroy killed mid-run: cancel and destroy again remove exactly what the stack made",
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
    await stack.cancel();

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(BEFORE);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
