/**
 * A change of group replaces the membership; a membership that has become its instance's last group cannot be
 * destroyed, says why, and the `pulumi state delete` its message gives lets the stack go while the instance keeps the group.
 */
import { credentialLeaks, PULUMI_TEST_TIMEOUT_MS, transcriptTexts, useExampleWorld } from "../../testing/example-world";
import type { ThrowawayStack } from "../../testing/throwaway-stack";

const GROUP_KEY = "sg-membership-examples:extraGroupId";
const world = useExampleWorld("basic");
let stack: ThrowawayStack;

beforeAll(async () => {
  stack = await world().stack("replace");
});

test(
  "changing the group joins the new one and leaves the old one",
  async () => {
    await stack.up();
    expect(await world().memberships()).toMatchObject({
      "i-bp1web01": ["sg-bp1dbclients", "sg-bp1web"],
      "i-bp1app01": ["sg-bp1app", "sg-bp1dbclients"],
    });

    await stack.configure({ [GROUP_KEY]: "sg-bp1monitoring" });
    const replaced = await stack.up();

    expect(replaced.stdout).toMatch(/2 replaced/);
    expect(await world().memberships()).toMatchObject({
      "i-bp1web01": ["sg-bp1monitoring", "sg-bp1web"],
      "i-bp1app01": ["sg-bp1app", "sg-bp1monitoring"],
    });
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "destroying an instance's last group fails with the reason, and the pulumi state delete its message gives gets past it",
  async () => {
    // Someone removes web-01's original group by hand: the stack's membership is now its only one.
    await world().ecs("LeaveSecurityGroup", { InstanceId: "i-bp1web01", SecurityGroupId: "sg-bp1web" });

    const refused = await stack.destroy({ allowFailure: true });

    expect(refused.code).not.toBe(0);
    const output = refused.stdout + refused.stderr;
    expect(output).toMatch(/web-extra-group[\s\S]*keep at least one security group/);
    // app-01's membership, which could go, went; web-01 still has a group.
    expect(await world().memberships()).toMatchObject({ "i-bp1web01": ["sg-bp1monitoring"], "i-bp1app01": ["sg-bp1app"] });

    // The command as the message gives it, run as the user would paste it (setting retainOnDelete now would not do:
    // a destroy goes by the options in the state).
    const command = /`(pulumi state delete '[^`]+')`/.exec(output)?.[1];
    expect(command).toMatch(/::web-extra-group'$/);
    await stack.shell(`${command!} --stack ${stack.name}`);
    await stack.destroy();

    expect(await world().memberships()).toMatchObject({ "i-bp1web01": ["sg-bp1monitoring"], "i-bp1app01": ["sg-bp1app"] });
    expect(await stack.exportState()).not.toMatch(/SecurityGroupMembership/);
    // Not even in the output of a failed destroy.
    expect(credentialLeaks(transcriptTexts(stack), world().key("full"))).toEqual([]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
