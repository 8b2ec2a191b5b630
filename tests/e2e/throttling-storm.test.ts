/**
 * A stack update while ECS throttles a dozen Joins and half of all other requests: the provider backs off and retries, and the update
 * converges to the declared memberships, as does the destroy after it.
 */
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";

const INSTANCES = ["i-bp1fleet01", "i-bp1fleet02", "i-bp1fleet03", "i-bp1fleet04", "i-bp1fleet05", "i-bp1fleet06"];
const config = (groups: string[]) => ({
  "sg-membership-examples:fleetInstanceIds": JSON.stringify(INSTANCES),
  "sg-membership-examples:fleetGroupIds": JSON.stringify(groups),
});
const fleetIn = (groups: string[]) => Object.fromEntries(INSTANCES.map((id) => [id, [...groups].sort()]));

const world = useExampleWorld("fleet");

test(
  "6 instances × 1 more group under a throttling storm: up and destroy converge",
  async () => {
    const stack = await world().stack("storm", { config: config(["sg-bp1fleet1"]) });
    await stack.up();
    expect(await world().memberships()).toMatchObject(fleetIn(["sg-bp1base", "sg-bp1fleet1"]));

    // The next 12 Joins are throttled for sure; every other request is throttled half the time.
    const certainThrottles = 12;
    await world().emulator.setFaults(
      [
        { action: "JoinSecurityGroup", kind: "throttling", times: certainThrottles },
        { action: "*", kind: "throttling", code: "Throttling", probability: 0.5 },
      ],
      20261125,
    );
    await stack.configure(config(["sg-bp1fleet1", "sg-bp1fleet2"]));
    const joinsBefore = await world().count("JoinSecurityGroup");

    await stack.up();

    expect(await world().memberships()).toMatchObject(fleetIn(["sg-bp1base", "sg-bp1fleet1", "sg-bp1fleet2"]));
    // Six new memberships, each Join retried until it got through.
    expect((await world().count("JoinSecurityGroup")) - joinsBefore).toBeGreaterThanOrEqual(INSTANCES.length + certainThrottles);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(fleetIn(["sg-bp1base"]));
  },
  PULUMI_TEST_TIMEOUT_MS,
);
