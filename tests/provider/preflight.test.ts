/**
 * The preflight read (membership/preflight.ts) through the dynamic resource, in-process against the emulator: one read
 * for all the checks of a run and region, none for bad input; only an answer every call would get fails the checks
 * (in full once, briefly after); any other answer lets them pass; its setting is checked like any other.
 */
import type { SecurityGroupMembershipProvider } from "../../provider";
import type { TestEmulator } from "../../testing/test-emulator";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { configuredProvider, expectNoSecrets, failureOf, stackConfig, useTestWorld } from "./support";

let emulator: TestEmulator;
let provider: SecurityGroupMembershipProvider;

useTestWorld((e, p) => ((emulator = e), (provider = p)));

const TARGETS = [IDS.running, IDS.stopped, IDS.pending];
const membership = (instanceId: string, fields: Record<string, unknown> = {}) => ({ instanceId, securityGroupId: IDS.sgOps, ...fields }) as never;

async function reads(): Promise<Record<string, number>> {
  return (await emulator.stats()).actions;
}

test("one read for every check of a run in a region, one more for another region; bad input sends none", async () => {
  expect((await provider.check({} as never, membership("i-BAD"))).failures).toHaveLength(1);
  expect(await reads()).toEqual({});

  const checked = await Promise.all(TARGETS.map((id) => provider.check({} as never, membership(id))));
  expect(checked.map((result) => result.failures)).toEqual(TARGETS.map(() => []));
  expect(await reads()).toEqual({ DescribeInstances: 1 });

  await provider.check({} as never, membership(IDS.running, { regionId: "cn-shanghai" }));
  expect(await reads()).toEqual({ DescribeInstances: 2 });
});

test.each([
  ["a throttle", "throttling"],
  ["a 500", "server-error"],
  ["a 503", "unavailable"],
  ["a dropped connection", "drop"],
])("%s lets the checks pass, after one attempt", async (_what, kind) => {
  await emulator.setFaults([{ action: "DescribeInstances", kind, times: 1 } as never]);
  const checked = await Promise.all(TARGETS.map((id) => provider.check({} as never, membership(id))));
  expect(checked.map((result) => result.failures)).toEqual(TARGETS.map(() => []));
  expect(await reads()).toEqual({ DescribeInstances: 1 });
});

test("an access key ECS does not know fails every check: in full once, naming the config keys, briefly for the others", async () => {
  const stranger = await configuredProvider(stackConfig(emulator.url, { accessKeyId: "LTAI5tNobodyKnows02", accessKeySecret: "nope-secret-02" }));
  const errors = await Promise.all(TARGETS.map((id) => failureOf(stranger.check({} as never, membership(id)))));
  const subject = `The preflight check of the ECS endpoint and credentials (DescribeInstances in ${REGION}, before any change) failed: InvalidAccessKeyId.NotFound`;
  const full = errors.filter((err) => err.message.startsWith(`${subject}: `));
  expect(full).toHaveLength(1);
  expect(full[0]!.message).toMatch(/RequestId.*Check the credentials in use, from the stack config alicloud:accessKey \/ alicloud:secretKey/);
  const brief = errors.filter((err) =>
    /^\S.* at http:\/\/127\.0\.0\.1:\d+ \(from the stack config alicloud-sg-membership:ecsEndpoint\), as explained in full/.test(err.message),
  );
  expect(brief.map((err) => err.message.startsWith(subject))).toEqual([true, true]);
  for (const err of errors) expectNoSecrets(err.message);
  expect(await reads()).toEqual({ DescribeInstances: 1 });
});

describe("the setting", () => {
  const unknownKey = { accessKeyId: "LTAI5tNobodyKnows03", accessKeySecret: "nope-secret-03" };

  test("false in the stack config or the environment: the checks pass without a call, and create meets the refusal", async () => {
    const off = await configuredProvider(stackConfig(emulator.url, unknownKey, { "alicloud-sg-membership:preflight": "False" }));
    expect((await off.check({} as never, membership(IDS.running))).failures).toEqual([]);
    process.env.ALIBABA_CLOUD_ECS_PREFLIGHT = "false";
    try {
      const offByEnv = await configuredProvider(stackConfig(emulator.url, unknownKey));
      expect((await offByEnv.check({} as never, membership(IDS.stopped))).failures).toEqual([]);
    } finally {
      delete process.env.ALIBABA_CLOUD_ECS_PREFLIGHT;
    }
    expect(await reads()).toEqual({});
    expect((await failureOf(off.create(membership(IDS.running, { regionId: REGION })))).message).toMatch(
      /^JoinSecurityGroup for instance .*InvalidAccessKeyId\.NotFound/,
    );
  });

  test("a value other than true or false: one line naming where it was set, before any call", async () => {
    const bad = await configuredProvider(stackConfig(emulator.url, KEYS.full, { "alicloud-sg-membership:preflight": "off" }));
    expect((await failureOf(bad.check({} as never, membership(IDS.running)))).message).toBe(
      'the stack config alicloud-sg-membership:preflight: "off" is not true or false',
    );
    expect(await reads()).toEqual({});
  });
});
