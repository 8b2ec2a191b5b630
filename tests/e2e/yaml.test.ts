/**
 * The basic example as a Pulumi YAML program (examples/yaml) through the provider plugin and the real CLI: up, drift
 * seen by preview and healed by up, import by ID, refresh, destroy, the last-group refusal, a throttling storm, and an
 * up killed mid-run then finished by the README's `npx sg-membership-recover`.
 * The project finds the plugin through its `plugins: providers:` entry, so the CLI never warns of a plugin from $PATH.
 */
import { docBlock } from "../../testing/doc-blocks";
import { credentialLeaks, PULUMI_TEST_TIMEOUT_MS, transcriptTexts, useExampleWorld } from "../../testing/example-world";
import type { ThrowawayStack } from "../../testing/throwaway-stack";
import { descendantsOf, isAlive } from "../../testing/process-tree";
import { eventually } from "../../testing/wait";
import { DECLARED, ORIGINAL, upDriftAndHeal } from "./plugin-basic";

const TOKEN = "alicloud-sg-membership:index:SecurityGroupMembership";
const world = useExampleWorld("basic");

function expectNoLeaks(stack: ThrowawayStack): void {
  expect(credentialLeaks(transcriptTexts(stack), world().key("full"))).toEqual([]);
}

test(
  "up, drift in preview, heal, import by ID, refresh, destroy",
  async () => {
    const stack = await world().stack("yaml", { face: "plugin" });
    await upDriftAndHeal(world(), stack);

    // A membership made outside Pulumi, imported by its ID, then refreshed and destroyed with the rest.
    await world().ecs("JoinSecurityGroup", { InstanceId: "i-bp1web01", SecurityGroupId: "sg-bp1monitoring" });
    const imported = await stack.run(["import", "--yes", "--protect=false", TOKEN, "web-monitoring", "i-bp1web01:sg-bp1monitoring"]);
    expect(imported.stdout).toMatch(/1 imported/);
    expect(imported.stdout).toMatch(/securityGroupId: sg-bp1monitoring/);
    const missing = await stack.run(["import", "--yes", TOKEN, "app-monitoring", "i-bp1app01:sg-bp1monitoring"], { allowFailure: true });
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toMatch(/cannot import i-bp1app01:sg-bp1monitoring: it does not exist/);

    const refreshed = await stack.refresh();
    expect(refreshed.stdout).not.toMatch(/updated|deleted/);
    const state = await stack.exportState();
    expect(state).toMatch(/"id": "i-bp1web01:sg-bp1monitoring"/);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(ORIGINAL);
    expect(await stack.exportState()).not.toMatch(/SecurityGroupMembership/);
    expectNoLeaks(stack);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "destroying an instance's last group is refused with the reason; the stack goes once the group is back",
  async () => {
    const stack = await world().stack("yaml-last", { face: "plugin" });
    await stack.up();
    await world().ecs("LeaveSecurityGroup", { InstanceId: "i-bp1web01", SecurityGroupId: "sg-bp1web" });

    const refused = await stack.destroy({ allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/web-extra-group[\s\S]*keep at least one security group/);
    expect(await world().memberships()).toMatchObject({ "i-bp1web01": ["sg-bp1dbclients"], "i-bp1app01": ["sg-bp1app"] });

    await world().ecs("JoinSecurityGroup", { InstanceId: "i-bp1web01", SecurityGroupId: "sg-bp1web" });
    await stack.destroy();
    expect(await world().memberships()).toMatchObject(ORIGINAL);
    expectNoLeaks(stack);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "under a throttling storm, up and destroy converge",
  async () => {
    const stack = await world().stack("yaml-storm", { face: "plugin" });
    // The next 4 Joins are throttled for sure; every other request is throttled half the time.
    const certainThrottles = 4;
    await world().emulator.setFaults(
      [
        { action: "JoinSecurityGroup", kind: "throttling", times: certainThrottles },
        { action: "*", kind: "throttling", code: "Throttling", probability: 0.5 },
      ],
      20261206,
    );
    const joinsBefore = await world().count("JoinSecurityGroup");
    await stack.up();
    expect(await world().memberships()).toMatchObject(DECLARED);
    expect((await world().count("JoinSecurityGroup")) - joinsBefore).toBeGreaterThanOrEqual(2 + certainThrottles);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(ORIGINAL);
    await world().emulator.clearFaults();
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "up killed with both Joins in flight: a plain up names the way out; sg-membership-recover finishes it from the plugin's pending creates",
  async () => {
    const stack = await world().stack("yaml-killed", { face: "plugin" });
    await world().emulator.setFaults([{ action: "JoinSecurityGroup", kind: "latency", latencyMs: 400 }]);
    const joinsBefore = await world().count("JoinSecurityGroup");
    const run = stack.start(["up"]);
    await eventually("both Joins sent", async () => (await world().count("JoinSecurityGroup")) - joinsBefore >= 2, 60_000);
    const started = descendantsOf(run.pid);
    run.killAll();
    await run.done;
    // Whatever the killed CLI had started (the language host, the plugin) finishes going before the state is read.
    await eventually("every process the killed CLI had started to be gone", async () => started.every((pid) => !isAlive(pid)));
    await world().emulator.clearFaults();
    const pending = JSON.parse(await stack.exportState()).deployment.pending_operations ?? [];
    expect(pending).toContainEqual(expect.objectContaining({ type: "creating", resource: expect.objectContaining({ type: TOKEN }) }));

    await stack.cancel();
    const plain = await stack.up({ allowFailure: true });
    expect(plain.code).not.toBe(0);
    expect(plain.stdout + plain.stderr).toMatch(/has no record of creating that membership[\s\S]*npx sg-membership-recover/);

    const recovered = await stack.shell(docBlock("README.md", "recover-after-up"));
    expect(recovered.stdout).toMatch(/interrupted create\(s\) of SecurityGroupMembership:\n {2}i-bp1/);
    expect(recovered.stdout).toMatch(/sg-membership-recover: done; [12] pending create\(s\) resolved and cleared/);
    expect(await world().memberships()).toMatchObject(DECLARED);
    expect(JSON.parse(await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(ORIGINAL);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
