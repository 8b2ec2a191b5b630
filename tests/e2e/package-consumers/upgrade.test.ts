/**
 * A stack made with the package's 0.1.0, in a project outside this repository, upgraded in place to the package as
 * packed now: its resources refresh, preview without changes, go up and are destroyed.
 */
import { SERIALIZED_PROVIDER } from "../../../provider/pulumi/serialized-provider";
import { docBlock } from "../../../testing/doc-blocks";
import { FIXTURE_0_1_0, initial, joined, TYPE_TOKEN, useConsumerWorld } from "../../../testing/consumer-world";
import { membershipsOf } from "../../../testing/memberships";
import { PULUMI_TEST_TIMEOUT_MS } from "../../../testing/example-world";

const world = useConsumerWorld();

test(
  "a stack made with 0.1.0, upgraded in place: refresh, preview (no changes, no replacements), up and destroy",
  async () => {
    const { emulator, tarball } = world();
    // 0.1.0 serialized its provider's class, which only a project with `typescript` installed could parse.
    const upgraded = world().project({
      name: "sgm-upgrade",
      tarball: FIXTURE_0_1_0,
      dependencies: { typescript: "~5.9.0" },
      files: { "index.js": docBlock("README.md", "index.js") },
    });
    const stack = await world().stackIn(upgraded.dir, "upgrade");
    await stack.up();
    expect(membershipsOf(await emulator.state())).toEqual(joined());
    const oldProvider = (JSON.parse(await stack.exportState()).deployment.resources as { type: string; inputs: { __provider: string } }[]).find(
      (r) => r.type === TYPE_TOKEN,
    )!.inputs.__provider;
    expect(oldProvider).toMatch(/require\("pulumi-alicloud-sg-membership\/dist\/provider\/membership-ops\.js"\)/);

    upgraded.npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", `pulumi-alicloud-sg-membership@file:${tarball}`]);
    await stack.refresh();
    expect(await stack.preview()).toEqual([]);
    await stack.up();
    const after = (JSON.parse(await stack.exportState()).deployment.resources as { type: string; inputs: { __provider: string } }[]).filter(
      (r) => r.type === TYPE_TOKEN,
    );
    expect(after.map((r) => r.inputs.__provider)).toEqual([SERIALIZED_PROVIDER, SERIALIZED_PROVIDER]);
    expect(membershipsOf(await emulator.state())).toEqual(joined());

    await stack.destroy();
    expect(membershipsOf(await emulator.state())).toEqual(initial());
  },
  PULUMI_TEST_TIMEOUT_MS,
);
