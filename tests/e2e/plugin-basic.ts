/**
 * The basic example's story through the provider plugin, shared by its programs in each language (examples/yaml,
 * examples/go): the memberships before and as declared, and up, a membership removed by hand, preview, heal.
 */
import type { ExampleWorld } from "../../testing/example-world";
import type { PulumiResult } from "../../testing/pulumi-cli";
import type { ThrowawayStack } from "../../testing/throwaway-stack";

export const ORIGINAL = { "i-bp1web01": ["sg-bp1web"], "i-bp1app01": ["sg-bp1app"] };
export const DECLARED = { "i-bp1web01": ["sg-bp1dbclients", "sg-bp1web"], "i-bp1app01": ["sg-bp1app", "sg-bp1dbclients"] };

/** Brings the stack up, then removes web-01 from db-clients by hand: preview plans an update, up rejoins it. */
export async function upDriftAndHeal(world: ExampleWorld, stack: ThrowawayStack): Promise<PulumiResult> {
  const up = await stack.up();
  expect(up.stdout).toMatch(/\+ 3 created/);
  expect(up.stdout + up.stderr).not.toMatch(/from \$PATH/);
  expect(await world.memberships()).toMatchObject(DECLARED);

  await world.ecs("LeaveSecurityGroup", { InstanceId: "i-bp1web01", SecurityGroupId: "sg-bp1dbclients" });
  const planned = await stack.preview();
  expect(planned).toEqual([expect.objectContaining({ op: "update", urn: expect.stringMatching(/::web-extra-group$/) })]);
  await stack.up();
  expect(await world.memberships()).toMatchObject(DECLARED);
  return up;
}
