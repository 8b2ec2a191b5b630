/**
 * Two ways an update cannot go through, and what the user is told: a read-only access key, and an instance that
 * Alibaba Cloud has locked for security.
 */
import { credentialLeaks, PULUMI_TEST_TIMEOUT_MS, transcriptTexts, useExampleWorld } from "../../testing/example-world";

const world = useExampleWorld("basic");

const SEED_MEMBERSHIPS = { "i-bp1web01": ["sg-bp1web"], "i-bp1app01": ["sg-bp1app"] };

test(
  "a read-only key: up fails naming the denied permission, changes nothing, and is not retried",
  async () => {
    const stack = await world().stack("read-only", { key: "readOnly" });

    const denied = await stack.up({ allowFailure: true, continueOnError: true });

    expect(denied.code).not.toBe(0);
    const output = denied.stdout + denied.stderr;
    expect(output).toMatch(/Forbidden\.RAM/);
    expect(output).toMatch(/RequestId/);
    expect(output).toMatch(/grant ecs:JoinSecurityGroup/);
    expect(await world().memberships()).toMatchObject(SEED_MEMBERSHIPS);
    // A permission error is final: one attempt per membership.
    expect(await world().count("JoinSecurityGroup")).toBe(2);
    expect(credentialLeaks(transcriptTexts(stack), world().key("readOnly"))).toEqual([]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a locked instance: its membership fails with ECS's code and what to do, the other goes through; after unlocking, up converges",
  async () => {
    await world().emulator.patch({ upsert: { instances: [{ instanceId: "i-bp1web01", locked: true }] } });
    const stack = await world().stack("locked");
    const joinsBefore = await world().count("JoinSecurityGroup");

    const refused = await stack.up({ allowFailure: true, continueOnError: true });

    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/web-extra-group[\s\S]*InstanceLockedForSecurity[\s\S]*locked the instance for security/);
    expect(await world().memberships()).toMatchObject({ "i-bp1web01": ["sg-bp1web"], "i-bp1app01": ["sg-bp1app", "sg-bp1dbclients"] });
    // Not retried: at most one refused Join for web-01 besides app-01's.
    expect((await world().count("JoinSecurityGroup")) - joinsBefore).toBeLessThanOrEqual(2);

    await world().emulator.patch({ upsert: { instances: [{ instanceId: "i-bp1web01", locked: false }] } });
    await stack.up();
    expect(await world().memberships()).toMatchObject({
      "i-bp1web01": ["sg-bp1dbclients", "sg-bp1web"],
      "i-bp1app01": ["sg-bp1app", "sg-bp1dbclients"],
    });

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(SEED_MEMBERSHIPS);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
