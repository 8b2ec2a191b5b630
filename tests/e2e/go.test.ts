/**
 * The basic example as a Go program (examples/go) through the generated Go SDK, the provider plugin and the real CLI:
 * up, drift seen by preview and healed by up, destroy. The Go language host compiles the program for each run that
 * executes it; building it once first fills Go's build cache, so those runs only link.
 */
import { devNull } from "os";
import { runGoTool } from "../../testing/go-toolchain";
import { credentialLeaks, GO_EXAMPLE_DIR, PULUMI_TEST_TIMEOUT_MS, transcriptTexts, useExampleWorld } from "../../testing/example-world";
import { locateLanguageHost } from "../../testing/pulumi-cli";
import { ORIGINAL, upDriftAndHeal } from "./plugin-basic";

const world = useExampleWorld("basic");

beforeAll(async () => {
  locateLanguageHost("go");
  await runGoTool(["go", "build", "-o", devNull, "."], GO_EXAMPLE_DIR);
}, PULUMI_TEST_TIMEOUT_MS);

test(
  "up, drift in preview, heal, destroy",
  async () => {
    const stack = await world().stack("go", { face: "plugin", projectDir: GO_EXAMPLE_DIR });
    const up = await upDriftAndHeal(world(), stack);
    expect(up.stdout).toMatch(/webGroups: \[\s+\[0\]: "sg-bp1web"\s+\[1\]: "sg-bp1dbclients"/);

    await stack.destroy();
    expect(await world().memberships()).toMatchObject(ORIGINAL);
    expect(await stack.exportState()).not.toMatch(/SecurityGroupMembership/);
    expect(credentialLeaks(transcriptTexts(stack), world().key("full"))).toEqual([]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
