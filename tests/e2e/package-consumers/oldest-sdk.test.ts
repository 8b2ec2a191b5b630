/**
 * The package as users get it (`npm pack`, installed into a fresh project outside this repository), beside the
 * oldest `@pulumi/pulumi` its peer range admits: the README's program through the real CLI against the emulator.
 */
import { docBlock } from "../../../testing/doc-blocks";
import { useConsumerWorld } from "../../../testing/consumer-world";
import { PULUMI_TEST_TIMEOUT_MS } from "../../../testing/example-world";

/** The oldest @pulumi/pulumi the peer range admits (the first whose dynamic providers get `configure`). */
const OLDEST_SDK = "3.139.0";

const world = useConsumerWorld();

test(
  `the oldest @pulumi/pulumi admitted (${OLDEST_SDK}): the README's program goes up and down`,
  async () => {
    const oldest = world().project({
      name: "sgm-oldest-sdk",
      tarball: world().tarball,
      pulumiVersion: OLDEST_SDK,
      files: { "index.js": docBlock("README.md", "index.js") },
    });
    await world().upAndDestroy(await world().stackIn(oldest.dir, "oldest-sdk"));
  },
  PULUMI_TEST_TIMEOUT_MS,
);
