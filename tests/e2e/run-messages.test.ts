/**
 * What the user sees while `pulumi up` runs, through the real CLI: retries of batched reads are shown against the
 * resources that wait for them, once each, and not against the stack; a configuration mistake (half a key pair, an
 * unknown example) is one clear error, without a stack trace or stray lines.
 */
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";
import { diagnosticsByResource, isStackLevel, type Diagnostic } from "../../testing/pulumi-output";

const INSTANCES = ["i-bp1fleet01", "i-bp1fleet02", "i-bp1fleet03", "i-bp1fleet04", "i-bp1fleet05", "i-bp1fleet06"];
const fleetOf = (instances: string[]) => ({
  "sg-membership-examples:fleetInstanceIds": JSON.stringify(instances),
  "sg-membership-examples:fleetGroupIds": JSON.stringify(["sg-bp1fleet1"]),
});

/** A Node.js stack frame, as the plugin's and the language host's unhandled-error output print them. */
const STACK_FRAME = /^\s+at \S.*:\d+:\d+\)?$/m;

const world = useExampleWorld("fleet");

/** The instance a fleet membership's URN names (`…::i-bp1fleet01-in-sg-bp1fleet1`). */
function instanceOf(urn: string | undefined): string | undefined {
  return /::(i-bp1fleet\d+)-in-sg-\w+$/.exec(urn ?? "")?.[1];
}

function requestIdOf(diagnostic: Diagnostic): string {
  return /\(RequestId: ([0-9A-F-]+)\)/.exec(diagnostic.message)?.[1] ?? "";
}

test(
  "throttled DescribeInstances: each retry of a batched read is shown once against each resource waiting for it, none against the stack",
  async () => {
    const stack = await world().stack("read-retries", { config: fleetOf(INSTANCES) });
    const throttled = 3;
    await world().emulator.setFaults([{ action: "DescribeInstances", kind: "throttling", times: throttled }]);

    const diagnostics = await stack.upDiagnostics();

    expect(await world().memberships()).toMatchObject(Object.fromEntries(INSTANCES.map((id) => [id, ["sg-bp1base", "sg-bp1fleet1"]])));
    const retries = diagnostics.filter((d) => /DescribeInstances/.test(d.message) && /; retry \d+ in \d+ms/.test(d.message));
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.filter(isStackLevel)).toEqual([]);
    for (const retry of retries) {
      // Against a membership, about that membership's own instance, the action named once.
      expect(retry.message).toMatch(
        new RegExp(
          `^DescribeInstances for instance ${instanceOf(retry.urn)}( \\(one call for \\d+ instances\\))?: Throttling: .*; retry \\d+ in \\d+ms`,
        ),
      );
      expect(retry.message).not.toMatch(/DescribeInstances: DescribeInstances/);
    }
    // Each throttled answer (its RequestId) once per resource, and only the calls the emulator throttled.
    const told = retries.map((retry) => `${retry.urn} ${requestIdOf(retry)}`);
    expect(new Set(told).size).toBe(told.length);
    expect(new Set(retries.map(requestIdOf)).size).toBeLessThanOrEqual(throttled);
    expect(diagnostics.filter((d) => isStackLevel(d) && /DescribeInstances/.test(d.message))).toEqual([]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "half a key pair in the stack config: the missing half named once, against the resource, with no stack trace or stray line",
  async () => {
    const stack = await world().stack("half-key", { config: fleetOf(["i-bp1fleet01"]) });
    await stack.run(["config", "rm", "alicloud:secretKey"]);

    const result = await stack.up({ allowFailure: true });

    expect(result.code).not.toBe(0);
    const output = `${result.stdout}\n${result.stderr}`;
    const diagnostics = diagnosticsByResource(output);
    expect(diagnostics).toEqual({
      "i-bp1fleet01-in-sg-bp1fleet1": expect.stringMatching(
        /^error: Incomplete Alibaba Cloud credentials in the stack config: alicloud:secretKey is not set; set them in the stack config/,
      ),
    });
    expect(
      Object.values(diagnostics)
        .join("\n")
        .match(/Incomplete Alibaba Cloud credentials/g),
    ).toHaveLength(1);
    expect(output).not.toMatch(/\[object Object\]|: undefined|MembershipError/);
    expect(output).not.toMatch(STACK_FRAME);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a key set but empty in the stack config: named in full against one resource, briefly against the others, none against the stack (pulumi up --json)",
  async () => {
    const stack = await world().stack("empty-key", { config: fleetOf(INSTANCES.slice(0, 3)) });
    await stack.run(["config", "set", "--secret", "alicloud:accessKey", ""]);

    const diagnostics = await stack.upDiagnostics({ allowFailure: true });

    const credentialErrors = diagnostics.filter((d) => /alicloud:accessKey/.test(d.message));
    expect(credentialErrors.filter(isStackLevel)).toEqual([]);
    const full = credentialErrors.filter((d) =>
      /^`alicloud:accessKey` is set but empty in the stack config: give it a value, or remove it; set them/.test(d.message),
    );
    const brief = credentialErrors.filter(
      (d) =>
        d.message.trim() ===
        "`alicloud:accessKey` is set but empty in the stack config: give it a value, or remove it, as explained in full for the first resource of this run that met it.",
    );
    expect(full).toHaveLength(1);
    expect(full.length + brief.length).toBe(credentialErrors.length);
    // Each membership is told (the engine may stop before starting all three, once one has failed).
    expect(new Set(credentialErrors.map((d) => d.urn)).size).toBe(credentialErrors.length);
    expect(diagnostics.map((d) => d.message).join("\n")).not.toMatch(STACK_FRAME);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "a region ECS does not know in the stack config, with an explicit endpoint: warned in full against one resource, in one short line against the others, none against the stack (pulumi up --json)",
  async () => {
    const stack = await world().stack("unknown-region", { config: { ...fleetOf(INSTANCES.slice(0, 3)), "alicloud:region": "cn-hangzhoux" } });

    // The fleet lives in cn-hangzhou, so each Join then fails; every resource is still checked, and warned.
    const diagnostics = await stack.upDiagnostics({ allowFailure: true, continueOnError: true });

    const warnings = diagnostics.filter((d) => d.severity === "warning");
    expect(warnings.filter(isStackLevel)).toEqual([]);
    const problem = "regionId from the stack config alicloud:region: cn-hangzhoux: not an ECS region";
    const full = warnings.filter((d) => d.message.startsWith(`${problem}; did you mean cn-hangzhou`) && /It is used anyway/.test(d.message));
    const brief = warnings.filter(
      (d) =>
        d.message.trim() ===
        `${problem}, used anyway with the explicitly configured endpoint, as explained in full for the first resource of this run that met it.`,
    );
    expect(full).toHaveLength(1);
    expect(brief).toHaveLength(2);
    expect(full.length + brief.length).toBe(warnings.length);
    // One warning per membership: not repeated for a resource, whatever else the run tells it.
    expect(new Set(warnings.map((d) => d.urn)).size).toBe(3);
  },
  PULUMI_TEST_TIMEOUT_MS,
);

test(
  "an unknown example name: its message alone, not an unhandled exception with a stack trace",
  async () => {
    const stack = await world().stack("unknown-example");
    await stack.configure({ "sg-membership-examples:example": "nosuch" });

    const result = await stack.up({ allowFailure: true });

    expect(result.code).not.toBe(0);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(Object.values(diagnosticsByResource(output))).toEqual([
      'error: Unknown example "nosuch" in sg-membership-examples:example; choose one of basic, fleet, eni, adopt.',
    ]);
    expect(output).not.toMatch(/unhandled exception/);
    expect(output).not.toContain("\u001b[");
    expect(output).not.toMatch(STACK_FRAME);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
