/**
 * A TypeScript stack of 10 dynamic memberships moves to the provider plugin's resource by an alias of the dynamic type
 * (examples/fleet's `fleetFace: plugin`): no Join or Leave reaches ECS, and afterwards refresh and preview find nothing
 * to change.
 */
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";

const world = useExampleWorld("fleet");
const INSTANCES = Array.from({ length: 10 }, (_, i) => `i-bp1fleet${String(i + 1).padStart(2, "0")}`);
const PLUGIN_TOKEN = "alicloud-sg-membership:index:SecurityGroupMembership";

async function writes(): Promise<number> {
  return (await world().count("JoinSecurityGroup")) + (await world().count("LeaveSecurityGroup"));
}

test(
  "10 dynamic memberships move to the plugin with no ECS write; refresh and preview then show no changes",
  async () => {
    const fleet = {
      "sg-membership-examples:fleetInstanceIds": JSON.stringify(INSTANCES),
      "sg-membership-examples:fleetGroupIds": '["sg-bp1fleet1"]',
    };
    const stack = await world().stack("move", { config: fleet });
    await stack.up();
    const { accessKeyId, accessKeySecret } = world().key("full");
    await stack.run([
      "config",
      "set-all",
      "--secret",
      `alicloud-sg-membership:accessKey=${accessKeyId}`,
      "--secret",
      `alicloud-sg-membership:secretKey=${accessKeySecret}`,
    ]);
    await stack.configure({ "alicloud-sg-membership:region": "cn-hangzhou", "sg-membership-examples:fleetFace": "plugin" });
    const before = await writes();
    const joined = await world().memberships();

    const moved = await stack.up();
    expect(moved.stdout).toMatch(/11 unchanged/);
    const refreshed = await stack.refresh();
    expect(refreshed.stdout).not.toMatch(/updated|deleted/);
    expect(await stack.preview()).toEqual([]);

    expect(await writes()).toBe(before);
    expect(await world().memberships()).toEqual(joined);
    const state = await stack.exportState();
    expect(state.match(new RegExp(`"type": "${PLUGIN_TOKEN}"`, "g"))).toHaveLength(10);
    expect(state).not.toMatch(/__provider|pulumi-nodejs:dynamic/);

    await stack.destroy();
    expect(await world().count("LeaveSecurityGroup")).toBe(10);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
