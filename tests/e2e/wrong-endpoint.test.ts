/**
 * The first things a new user gets wrong, through the real CLI: an endpoint where nothing listens ends the update in
 * seconds with one full diagnosis (and a brief line for every other resource), and a region with a typo is refused
 * by preview, before any call, with the name it probably meant.
 */
import { closedPortUrl } from "../../testing/foreign-servers";
import { ThrowawayStack } from "../../testing/throwaway-stack";
import { seedKey } from "../../testing/credentials";
import { exampleSeed, PULUMI_TEST_TIMEOUT_MS } from "../../testing/example-world";
import { diagnosticsByResource, isStackLevel } from "../../testing/pulumi-output";

const key = seedKey(exampleSeed("basic"), "full");
const stacks: ThrowawayStack[] = [];
afterAll(async () => {
  for (const stack of stacks) stack.remove();
});

async function basicStack(name: string, endpoint: string, region?: string): Promise<ThrowawayStack> {
  const stack = await ThrowawayStack.create({ name: `e2e-${name}-${process.pid}`, example: "basic", endpoint, credentials: key, region });
  stacks.push(stack);
  return stack;
}

test(
  "pulumi up against a closed port: three quick attempts, the endpoint and its source named once in full",
  async () => {
    const url = await closedPortUrl();
    const stack = await basicStack("closed-port", url);
    const result = await stack.up({ allowFailure: true, continueOnError: true });
    expect(result.code).not.toBe(0);
    const diagnostics = diagnosticsByResource(`${result.stdout}\n${result.stderr}`);
    const full =
      /Transport\.ConnectionRefused: connection refused: nothing is listening there, at (\S+) \(from the environment variable ALIBABA_CLOUD_ECS_ENDPOINT\)\. Still failing after (\d+) attempts over (\d+\.\d)s \(operationTimeoutSeconds: 600\)\. .*check the endpoint/;
    const brief =
      /Transport\.ConnectionRefused at \S+ \(from the environment variable ALIBABA_CLOUD_ECS_ENDPOINT\), as explained in full for the first resource of this run that met it\./;
    const told = Object.values(diagnostics);
    expect(told.filter((text) => full.test(text))).toHaveLength(1);
    expect(told.filter((text) => brief.test(text))).toHaveLength(1);
    const [, shownUrl, attempts, elapsed] = full.exec(told.find((text) => full.test(text))!)!;
    expect([shownUrl, attempts]).toEqual([url, "3"]);
    // The bound, with generous slack: the provider gave up in its brief window, not at operationTimeoutSeconds (600).
    expect(Number(elapsed)).toBeLessThan(30);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a region with a typo in the stack config and no endpoint override: refused before any call, in full once, naming where it came from",
  async () => {
    const stack = await basicStack("region-typo", "", "cn-hangzhuo");
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
