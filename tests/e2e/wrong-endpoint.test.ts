/**
 * The first things a new user gets wrong, through the real CLI. A stack's first `pulumi preview` fails within seconds
 * when nothing listens at the endpoint or ECS refuses the credentials, in one full diagnosis and a brief line for every
 * other resource (the preflight read, membership/preflight.ts); with the preflight turned off, the preview passes
 * without a call. A region with a typo is refused by preview, before any call, with the name it probably meant.
 */
import { closedPortUrl } from "../../testing/foreign-servers";
import type { Credentials } from "../../testing/credentials";
import { ThrowawayStack } from "../../testing/throwaway-stack";
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";
import { diagnosticsByResource, isStackLevel } from "../../testing/pulumi-output";

const world = useExampleWorld("basic");
const stacks: ThrowawayStack[] = [];
afterAll(async () => {
  for (const stack of stacks) stack.remove();
});

async function basicStack(name: string, endpoint: string, options: { region?: string; credentials?: Credentials } = {}): Promise<ThrowawayStack> {
  const credentials = options.credentials ?? world().key("full");
  const stack = await ThrowawayStack.create({ name: `e2e-${name}-${process.pid}`, example: "basic", endpoint, credentials, region: options.region });
  stacks.push(stack);
  return stack;
}

const AS_EXPLAINED = "as explained in full for the first resource of this run that met it.";
const PREFLIGHT = "The preflight check of the ECS endpoint and credentials \\(DescribeInstances in cn-hangzhou, before any change\\) failed";
const OFF_SWITCH = "set alicloud-sg-membership:preflight \\(or ALIBABA_CLOUD_ECS_PREFLIGHT\\) to false";

/** The messages of a failed preview's Diagnostics section, against the memberships (the stack's own line left out). */
async function failedPreview(stack: ThrowawayStack): Promise<string[]> {
  const result = await stack.previewDisplay({ allowFailure: true });
  expect(result.code).not.toBe(0);
  const { ["sg-membership-examples-" + stack.name]: _stack, ...byResource } = diagnosticsByResource(`${result.stdout}\n${result.stderr}`);
  return Object.values(byResource);
}

test(
  "a new stack's preview against a closed port: three quick attempts, the endpoint and its source named once in full",
  async () => {
    const url = await closedPortUrl();
    const told = await failedPreview(await basicStack("closed-port", url));
    const full = new RegExp(
      `${PREFLIGHT}: Transport\\.ConnectionRefused: connection refused: nothing is listening there, at (\\S+) \\(from the environment variable ALIBABA_CLOUD_ECS_ENDPOINT\\)\\. Still failing after (\\d+) attempts over (\\d+\\.\\d)s\\. .*check the endpoint.*${OFF_SWITCH}`,
    );
    const brief = new RegExp(
      `${PREFLIGHT}: Transport\\.ConnectionRefused at \\S+ \\(from the environment variable ALIBABA_CLOUD_ECS_ENDPOINT\\), ${AS_EXPLAINED}`,
    );
    expect(told.filter((text) => full.test(text))).toHaveLength(1);
    expect(told.filter((text) => !full.test(text) && !brief.test(text))).toEqual([]);
    const [, shownUrl, attempts, elapsed] = full.exec(told.find((text) => full.test(text))!)!;
    expect([shownUrl, attempts]).toEqual([url, "3"]);
    // The bound, with generous slack: the preflight gave up in its brief window, not at operationTimeoutSeconds (600).
    expect(Number(elapsed)).toBeLessThan(30);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a new stack's preview with a secret ECS refuses: the keys in use named once in full, after one read; preflight false: passes without a call",
  async () => {
    const stack = await basicStack("refused-secret", world().emulator.url, {
      credentials: { ...world().key("full"), accessKeySecret: "not-the-secret" },
    });
    await world().emulator.resetStats();

    const told = await failedPreview(stack);

    const full = new RegExp(
      `${PREFLIGHT}: SignatureDoesNotMatch: .*\\(RequestId: [0-9A-F-]+\\)\\. Check the credentials in use, from the stack config alicloud:accessKey / alicloud:secretKey .*${OFF_SWITCH}`,
    );
    const brief = new RegExp(
      `${PREFLIGHT}: SignatureDoesNotMatch at \\S+ \\(from the environment variable ALIBABA_CLOUD_ECS_ENDPOINT\\), ${AS_EXPLAINED}`,
    );
    expect(told.filter((text) => full.test(text))).toHaveLength(1);
    expect(told.filter((text) => !full.test(text) && !brief.test(text))).toEqual([]);
    expect(told.join("\n")).not.toContain("not-the-secret");
    expect((await world().emulator.stats()).actions).toEqual({ DescribeInstances: 1 });

    await stack.configure({ "alicloud-sg-membership:preflight": "false" });
    await world().emulator.resetStats();
    expect((await stack.preview()).map((step) => step.op)).toEqual(expect.arrayContaining(["create"]));
    expect((await world().emulator.stats()).total).toBe(0);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a region with a typo in the stack config and no endpoint override: refused before any call, in full once, naming where it came from",
  async () => {
    const stack = await basicStack("region-typo", "", { region: "cn-hangzhuo" });
    const diagnostics = await stack.upDiagnostics({ allowFailure: true });
    const errors = diagnostics.filter((d) => d.severity === "error" && !isStackLevel(d));
    // At most one per membership (the engine stops at the first failed check), each naming the stack config key, in
    // full for one and briefly for any other, and no {<nil>} for the input the program left out.
    const names = errors.map((d) => d.urn!.replace(/.*::/, ""));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => !["app-extra-group", "web-extra-group"].includes(name))).toEqual([]);
    const problem = "has a problem: regionId from the stack config alicloud:region: cn-hangzhuo: not an ECS region";
    const full = errors.filter((d) => d.message.includes(`${problem}; did you mean cn-hangzhou?`));
    const brief = errors.filter((d) => d.message.includes(`${problem}, as explained in full for the first resource of this run that met it.`));
    expect(full).toHaveLength(1);
    expect(full.length + brief.length).toBe(errors.length);
    expect(diagnostics.map((d) => d.message).join("\n")).not.toContain("<nil>");
  },
  PULUMI_TEST_TIMEOUT_MS,
);
