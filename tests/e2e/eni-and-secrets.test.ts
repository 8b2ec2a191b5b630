/**
 * The ENI example with STS credentials: memberships of network interfaces, and no access key ID, secret or security
 * token in the state (`pulumi stack export`) or in anything the CLI printed. The examples use the provider from this
 * repository's source, and their state still holds the small loader, never a copy of the provider's code.
 */
import { SERIALIZED_PROVIDER } from "../../provider/pulumi/serialized-provider";
import { credentialLeaks, PULUMI_TEST_TIMEOUT_MS, transcriptTexts, useExampleWorld } from "../../testing/example-world";

const world = useExampleWorld("eni");

test(
  "ENIs join and leave their own group lists; credentials reach neither the state nor the output",
  async () => {
    const stack = await world().stack("eni-sts", { key: "sts" });

    await stack.up();
    expect(await world().memberships()).toMatchObject({
      "i-bp1db01": ["sg-bp1web"],
      "eni-bp1db01storage": ["sg-bp1replication", "sg-bp1storage"],
      "eni-bp1spare": ["sg-bp1replication", "sg-bp1storage"],
    });
    const state = await stack.exportState();
    expect(state).toMatch(/eni-bp1db01storage:sg-bp1replication/);
    const memberships = (
      JSON.parse(state).deployment.resources as { type: string; inputs: { __provider?: string }; outputs: { __provider?: string } }[]
    ).filter((r) => r.type === "pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership");
    expect(memberships.length).toBeGreaterThan(0);
    for (const membership of memberships)
      expect([membership.inputs.__provider, membership.outputs.__provider]).toEqual([SERIALIZED_PROVIDER, SERIALIZED_PROVIDER]);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject({
      "i-bp1db01": ["sg-bp1web"],
      "eni-bp1db01storage": ["sg-bp1storage"],
      "eni-bp1spare": ["sg-bp1storage"],
    });

    expect(credentialLeaks([state, ...transcriptTexts(stack)], world().key("sts"))).toEqual([]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
