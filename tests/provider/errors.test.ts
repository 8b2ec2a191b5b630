/**
 * What a user reads when something goes wrong: every row of LeaveSecurityGroup's error table, the Join errors of the
 * spec, bad input, and credentials trouble. Each message names ECS's code, message and RequestId where ECS answered,
 * says what to do, and holds no credential, signature or URL.
 */
import type { SecurityGroupMembershipProvider } from "../../provider";
import type { TestEmulator } from "../../testing/test-emulator";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { configuredProvider, expectNoSecrets, failureOf, groupsOf, providerFor, stackConfig, useTestWorld } from "./support";
import { eventually } from "../../testing/wait";

let emulator: TestEmulator;
let provider: SecurityGroupMembershipProvider;

useTestWorld((e, p) => ((emulator = e), (provider = p)));

const REQUEST_ID = /\(RequestId: [0-9A-F-]{36}\)/;

function membership(fields: Record<string, unknown>) {
  return { regionId: REGION, securityGroupId: IDS.sgOps, ...fields } as never;
}

async function createFailure(fields: Record<string, unknown>, p = provider): Promise<Error> {
  const err = await failureOf(p.create(membership(fields)));
  expectNoSecrets(err.message);
  return err;
}

describe("LeaveSecurityGroup's error table", () => {
  test("InvalidInstanceId.NotFound (404): create names the code, message, RequestId and what to check", async () => {
    const err = await createFailure({ instanceId: "i-bp1nosuch" });
    expect(err.message).toMatch(
      /^JoinSecurityGroup for instance i-bp1nosuch and security group sg-bp1ops failed: InvalidInstanceId\.NotFound: The specified InstanceId does not exist\./,
    );
    expect(err.message).toMatch(REQUEST_ID);
    expect(err.message).toMatch(/Check that instance i-bp1nosuch exists in region cn-hangzhou/);
  });

  test("InvalidInstanceId.NotFound during delete: the membership is gone, delete succeeds", async () => {
    await provider.delete("x", membership({ instanceId: "i-bp1nosuch", securityGroupIds: [] }));
  });

  test("InvalidSecurityGroupId.NotFound (404)", async () => {
    const err = await createFailure({ instanceId: IDS.running, securityGroupId: "sg-bp1nosuch" });
    expect(err.message).toMatch(/InvalidSecurityGroupId\.NotFound: The specified SecurityGroupId does not exist\./);
    expect(err.message).toMatch(REQUEST_ID);
    expect(err.message).toMatch(/Check that security group sg-bp1nosuch exists/);
  });

  test("InstanceLastSecurityGroup (403): delete explains and keeps the group", async () => {
    const outs = (await provider.create(membership({ instanceId: IDS.running, securityGroupId: IDS.sgWeb, adoptExisting: true }))).outs!;
    const err = await failureOf(provider.delete(`${IDS.running}:${IDS.sgWeb}`, outs));
    expect(err.message).toMatch(/InstanceLastSecurityGroup/);
    expect(err.message).toMatch(REQUEST_ID);
    expect(err.message).toMatch(/retainOnDelete/);
    expectNoSecrets(err.message);
  });

  test("an instance that never settles fails at the deadline with what to do, after one refused Join: the wait is by reading", async () => {
    const err = await createFailure({ instanceId: IDS.pending, operationTimeoutSeconds: 0.5 });
    expect(err.message).toMatch(/instance i-bp1pending is still Pending after \d+\.\ds/);
    expect(err.message).toMatch(/ECS answered Forbidden\.InstanceIsBeingCreated/);
    expect(err.message).toMatch(/operationTimeoutSeconds \(now 0\.5s\)/);
    expect((await emulator.stats()).actions.JoinSecurityGroup).toBe(1);
  });

  test("IncorrectInstanceStatus from ECS: waits by reading until the instance settles, then joins", async () => {
    // The instance starts stopping while our Join is in flight: ECS refuses, we read until it is Stopped, then join.
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "latency", latencyMs: 300, times: 1 }]);
    const created = provider.create(membership({ instanceId: IDS.running }));
    await eventually("Join in flight", async () => ((await emulator.stats()).actions.JoinSecurityGroup ?? 0) >= 1);
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, status: "Stopping", transitionEndsAt: null }] } });
    await eventually("reads after the refused Join", async () => ((await emulator.stats()).actions.DescribeInstances ?? 0) >= 2);
    expect((await emulator.stats()).actions.JoinSecurityGroup).toBe(1);
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, status: "Stopped" }] } });
    await created;
    expect(await groupsOf(emulator, IDS.running)).toContain(IDS.sgOps);
    expect((await emulator.stats()).actions.JoinSecurityGroup).toBe(2);
  });

  test("InstanceLockedForSecurity (403): a clear error, not retried, on create and on delete", async () => {
    const err = await createFailure({ instanceId: IDS.locked });
    expect(err.message).toMatch(/InstanceLockedForSecurity: The specified operation is denied as your instance is locked for security reasons\./);
    expect(err.message).toMatch(REQUEST_ID);
    expect(err.message).toMatch(/locked the instance for security reasons.*Not retried/);
    expect((await emulator.stats()).actions.JoinSecurityGroup).toBe(1);

    const adopted = await provider.create(membership({ instanceId: IDS.locked, securityGroupId: IDS.sgDb, adoptExisting: true }));
    const deleteErr = await failureOf(provider.delete(adopted.id, adopted.outs!));
    expect(deleteErr.message).toMatch(/^LeaveSecurityGroup for instance i-bp1locked .*InstanceLockedForSecurity/);
    expect((await emulator.stats()).actions.LeaveSecurityGroup).toBe(1);
    expect(await groupsOf(emulator, IDS.locked)).toContain(IDS.sgDb);
  });

  test.each(["InstanceNotInSecurityGroup", "InvalidSecurityGroupAssociation.NotFound"])(
    "%s from a race during delete counts as success",
    async (notMemberErrorCode) => {
      await emulator.patch({ settings: { notMemberErrorCode } });
      const adopted = await provider.create(membership({ instanceId: IDS.stopped, securityGroupId: IDS.sgDb, adoptExisting: true }));
      await emulator.setFaults([{ action: "LeaveSecurityGroup", kind: "latency", latencyMs: 300, times: 1 }]);
      await emulator.resetStats();
      const deleted = provider.delete(adopted.id, adopted.outs!);
      await eventually("Leave in flight", async () => ((await emulator.stats()).actions.LeaveSecurityGroup ?? 0) >= 1);
      await emulator.patch({ upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgWeb] }] } });
      await deleted;
      expect((await emulator.stats()).actions.LeaveSecurityGroup).toBe(1);
    },
  );

  test("RequestTimeout (504): retried until the deadline, then reported with the RequestId", async () => {
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout" }]);
    const err = await createFailure({ instanceId: IDS.running, operationTimeoutSeconds: 1 });
    expect(err.message).toMatch(/RequestTimeout: The request encounters an upstream server timeout\./);
    expect(err.message).toMatch(REQUEST_ID);
    expect(err.message).toMatch(/Still failing after \d+ attempts over \d+\.\ds \(operationTimeoutSeconds: 1\)/);
    expect((await emulator.stats()).actions.JoinSecurityGroup).toBeGreaterThan(1);
  });

  test("InvalidInstanceId.Malformed (400): caught by check, before any request", async () => {
    const result = await provider.check({} as never, membership({ instanceId: "i-BP1_bad" }));
    expect(result.failures).toEqual([
      {
        property: "instanceId",
        reason: expect.stringMatching(/"i-BP1_bad" is not an ECS instance ID: expected "i-" followed by lower-case letters and digits/),
      },
    ]);
    const err = await failureOf(provider.create(membership({ instanceId: "i-BP1_bad" })));
    expect(err.message).toMatch(/Invalid SecurityGroupMembership: instanceId: "i-BP1_bad" is not an ECS instance ID/);
    expect((await emulator.stats()).total).toBe(0);
  });
});

describe("JoinSecurityGroup's errors", () => {
  test("InvalidInstanceId.Mismatch: the group is in another VPC", async () => {
    const err = await createFailure({ instanceId: IDS.running, securityGroupId: IDS.sgOtherVpc });
    expect(err.message).toMatch(/InvalidInstanceId\.Mismatch: .*RequestId.*same VPC/);
  });

  test("InstanceSecurityGroupLimitExceeded: names the quota", async () => {
    await emulator.patch({ settings: { maxSecurityGroupsPerTarget: 2 } });
    const err = await createFailure({ instanceId: IDS.stopped });
    expect(err.message).toMatch(/InstanceSecurityGroupLimitExceeded: .*RequestId.*quota/);
  });

  test("InvalidInstanceId.AlreadyExists from a race: refused with how to adopt, or accepted with adoptExisting", async () => {
    for (const adoptExisting of [false, true]) {
      await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] } });
      await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "latency", latencyMs: 300, times: 1 }]);
      await emulator.resetStats();
      const created = provider.create(membership({ instanceId: IDS.running, adoptExisting }));
      await eventually("Join in flight", async () => ((await emulator.stats()).actions.JoinSecurityGroup ?? 0) >= 1);
      await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb, IDS.sgOps] }] } });
      if (adoptExisting) {
        expect((await created).id).toBe(`${IDS.running}:${IDS.sgOps}`);
      } else {
        const err = await failureOf(created);
        expect(err.message).toMatch(/InvalidInstanceId\.AlreadyExists: .*RequestId.*adoptExisting: true/);
      }
    }
  });
});

describe("credentials and permissions", () => {
  test("a read-only key: Forbidden.RAM names the permission to grant", async () => {
    const readOnly = await providerFor(emulator, KEYS.readOnly);
    const err = await createFailure({ instanceId: IDS.running }, readOnly);
    expect(err.message).toMatch(/Forbidden\.RAM: .*RequestId.*grant ecs:JoinSecurityGroup/);
  });

  test("an unknown access key: the first call fails at once, naming the config keys", async () => {
    const stranger = await configuredProvider(stackConfig(emulator.url, { accessKeyId: "LTAI5tNobodyKnows01", accessKeySecret: "nope-secret-01" }));
    const err = await failureOf(stranger.create(membership({ instanceId: IDS.running })));
    expect(err.message).toMatch(/^JoinSecurityGroup for instance i-bp1running .*InvalidAccessKeyId\.NotFound: .*RequestId.*alicloud:accessKey/);
    expect(err.message).not.toContain("LTAI5tNobodyKnows01");
    expect((await emulator.stats()).actions).toEqual({ JoinSecurityGroup: 1 });
  });

  test("a wrong secret: SignatureDoesNotMatch without the server's string to sign (it holds the AccessKeyId)", async () => {
    const wrong = await configuredProvider(stackConfig(emulator.url, { ...KEYS.sts, accessKeySecret: "wrong-secret-01" }));
    const err = await failureOf(wrong.create(membership({ instanceId: IDS.running })));
    expect(err.message).toMatch(/SignatureDoesNotMatch/);
    // The hint names the source in use, not every way to set credentials.
    expect(err.message).toMatch(
      /Check the credentials in use, from the stack config alicloud:accessKey \/ alicloud:secretKey \/ alicloud:securityToken \(an STS token/,
    );
    expect(err.message).not.toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID|credential chain/);
    expectNoSecrets(err.message);
    expect(err.message).not.toContain("wrong-secret-01");
  });

  test("STS credentials work, and the token never shows", async () => {
    const sts = await providerFor(emulator, KEYS.sts);
    await sts.create(membership({ instanceId: IDS.running }));
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "drop" }]);
    const err = await createFailure({ instanceId: IDS.stopped, operationTimeoutSeconds: 0.5 }, sts);
    expect(err.message).toMatch(
      /Transport\.ConnectionDropped: the connection was dropped before an answer came, at http:\/\/127\.0\.0\.1:\d+ \(from the stack config alicloud-sg-membership:ecsEndpoint\)/,
    );
  });
});
