/**
 * A membership made by hand before the stack existed: create refuses it and says how to adopt it; with
 * `adoptExisting` the stack takes it over without calling Join, and destroy removes it.
 */
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";

const world = useExampleWorld("adopt");

const LEGACY = "i-bp1legacy01";

test(
  "without adoptExisting, up fails and says how to adopt",
  async () => {
    const stack = await world().stack("no-adopt", { config: { "sg-membership-examples:adoptExisting": "false" } });
    const joinsBefore = await world().count("JoinSecurityGroup");

    const refused = await stack.up({ allowFailure: true });

    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(
      /already in security group sg-bp1dbclients \(JoinSecurityGroup answered InvalidInstanceId\.AlreadyExists[\s\S]*adoptExisting: true/,
    );
    // The one Join is the look: ECS refused it.
    expect(await world().count("JoinSecurityGroup")).toBe(joinsBefore + 1);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "with adoptExisting, up adopts without a Join and destroy removes the membership",
  async () => {
    const stack = await world().stack("adopt");
    const joinsBefore = await world().count("JoinSecurityGroup");

    await stack.up();
    expect(await world().count("JoinSecurityGroup")).toBe(joinsBefore);
    expect(await world().memberships()).toMatchObject({ [LEGACY]: ["sg-bp1dbclients", "sg-bp1web"] });
    expect(await stack.preview()).toEqual([]);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject({ [LEGACY]: ["sg-bp1web"] });
  },
  PULUMI_TEST_TIMEOUT_MS,
);
