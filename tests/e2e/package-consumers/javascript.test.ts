/**
 * The package as users get it (`npm pack`, installed into a fresh project outside this repository), in a plain
 * JavaScript project without `typescript`: the README's program through the real CLI against the emulator, and the
 * package's commands run with npx.
 */
import { existsSync } from "fs";
import * as path from "path";
import { SERIALIZED_PROVIDER } from "../../../provider/pulumi/serialized-provider";
import { emulatorAdmin } from "../../../emulator";
import { docBlock } from "../../../testing/doc-blocks";
import { initial, key, useConsumerWorld } from "../../../testing/consumer-world";
import { startEmulatorProcess } from "../../../testing/processes";
import { membershipsOf } from "../../../testing/memberships";
import { REPO_ROOT } from "../../../testing/pulumi-cli";
import { credentialLeaks, PULUMI_TEST_TIMEOUT_MS } from "../../../testing/example-world";

const world = useConsumerWorld();

test(
  "plain JavaScript without typescript: the README's program goes up and down, with a __provider of a few hundred bytes",
  async () => {
    const js = world().project({ name: "sgm-js-consumer", tarball: world().tarball, files: { "index.js": docBlock("README.md", "index.js") } });
    expect(existsSync(path.join(js.dir, "node_modules", "typescript"))).toBe(false);
    const stack = await world().stackIn(js.dir, "js");

    const resources = (await world().upAndDestroy(stack)) as { inputs: { __provider: string }; outputs: { __provider: string } }[];
    expect(resources).toHaveLength(2);
    for (const resource of resources) {
      expect(resource.inputs.__provider).toBe(SERIALIZED_PROVIDER);
      expect(resource.outputs.__provider).toBe(SERIALIZED_PROVIDER);
      expect(Buffer.byteLength(resource.inputs.__provider)).toBeLessThanOrEqual(1536);
    }
    expect(credentialLeaks([JSON.stringify(resources)], key)).toEqual([]);

    const seedFile = path.join(REPO_ROOT, "examples", "basic", "seed.json");
    for (const command of [
      ["npx", "ecs-emulator"],
      ["npx", "-p", "pulumi-alicloud-sg-membership", "ecs-emulator"],
    ]) {
      const started = await startEmulatorProcess(seedFile, { command, cwd: js.dir });
      expect(membershipsOf(await emulatorAdmin(started.url).state())).toEqual(initial());
      await started.stop();
    }
    expect(js.npm(["exec", "--", "sg-membership-recover", "--help"])).toMatch(/Usage: npx sg-membership-recover/);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
