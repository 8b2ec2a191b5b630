/**
 * The ENI example with STS credentials: memberships of network interfaces, and no access key ID, secret or security
 * token in the state (`pulumi stack export`) or in anything the CLI printed.
 */
import { credentialLeaks, PULUMI_TEST_TIMEOUT_MS, transcriptTexts, useExampleWorld } from "./support";

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
