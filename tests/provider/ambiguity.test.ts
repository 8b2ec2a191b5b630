/**
 * ECS's ambiguity, as the emulator now plays it: a Join or Leave carried out behind a 504 or a dropped connection, one
 * answered 504 and carried out later, and Describe calls that show a change only some time after it. A create never
 * fails, and never leaves a membership behind untracked, because of its own earlier attempt; a delete never leaves one.
 */
import type { SecurityGroupMembershipProvider } from "../../provider";
import { OutcomeUnknownError } from "../../provider/membership/errors";
import { GATHER_MS } from "../../provider/membership/reader";
import type { TestEmulator } from "../../testing/test-emulator";
import { IDS, REGION } from "../../testing/default-world";
import { failureOf, groupsOf, useTestWorld } from "./support";
import { eventually } from "../../testing/wait";

let emulator: TestEmulator;
let provider: SecurityGroupMembershipProvider;

useTestWorld((e, p) => ((emulator = e), (provider = p)));

const ops = (fields: Record<string, unknown> = {}) => ({ instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION, ...fields }) as never;

async function count(action: string): Promise<number> {
  return (await emulator.stats()).actions[action] ?? 0;
}

describe("a write carried out behind a lost answer", () => {
  test.each(["timeout-after-apply", "drop-after-apply"])(
    "Join %s: create looks before trying again, and succeeds with that one Join",
    async (kind) => {
      await emulator.setFaults([{ action: "JoinSecurityGroup", kind, times: 1 } as never]);
      const created = await provider.create(ops());
      expect(created.id).toBe(`${IDS.running}:${IDS.sgOps}`);
      expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);
      expect(await count("JoinSecurityGroup")).toBe(1);
    },
  );

  test.each(["timeout-after-apply", "drop-after-apply"])("Leave %s: delete looks again and succeeds with that one Leave", async (kind) => {
    const created = await provider.create(ops());
    await emulator.setFaults([{ action: "LeaveSecurityGroup", kind, times: 1 } as never]);
    await provider.delete(created.id, created.outs!);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
    expect(await count("LeaveSecurityGroup")).toBe(1);
  });

  test("a Join answered 504 and carried out later, after the retry succeeded: create succeeds with one membership", async () => {
    // The late Join then meets the membership and changes nothing (the emulator's tests show that side).
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 300, times: 1 } as never]);
    await provider.create(ops());
    expect(await count("JoinSecurityGroup")).toBe(2);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);
  });
});

describe("a Join whose outcome stays unknown until the deadline", () => {
  test("create fails as created-but-unconfirmed, with the ID and state the engine records, and says what happens next", async () => {
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout" }]);
    const err = await failureOf(provider.create(ops({ operationTimeoutSeconds: 1 })));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    const unknown = err as OutcomeUnknownError;
    expect(unknown.id).toBe(`${IDS.running}:${IDS.sgOps}`);
    expect(unknown.properties).toMatchObject({ instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION });
    expect(unknown.message).toMatch(
      /RequestTimeout: .*Still failing after \d+ attempts.*ECS may still carry out one of these calls, so the membership is kept in the stack: the next `pulumi up` finishes it/,
    );
  });

  test("a Join that lands after create gave up is the stack's: the next update accepts it without another Join", async () => {
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 1500 }]);
    const err = (await failureOf(provider.create(ops({ operationTimeoutSeconds: 1 })))) as OutcomeUnknownError;
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    await emulator.clearFaults();
    await eventually("the late Join to land", async () => (await groupsOf(emulator, IDS.running))!.includes(IDS.sgOps));
    const joins = await count("JoinSecurityGroup");
    // What the engine does next for a resource that failed to initialize: an update with the recorded state.
    const updated = await provider.update(err.id, err.properties as never, ops());
    expect(updated.outs!.securityGroupIds).toEqual([IDS.sgWeb, IDS.sgOps]);
    expect(await count("JoinSecurityGroup")).toBe(joins);
  });
});

describe("reads that show a change only later (read-after-write lag)", () => {
  test("create and delete wait until ECS shows their change, then a read agrees", async () => {
    // Longer than a confirmation may wait (GATHER_MS), so the first look still shows the world from before the write.
    await emulator.patch({ settings: { readAfterWriteLagMs: 3 * GATHER_MS } });
    const created = await provider.create(ops());
    expect((await provider.read(created.id, created.outs)).id).toBe(created.id);
    const describesBeforeDelete = await count("DescribeInstances");
    await provider.delete(created.id, created.outs!);
    expect((await count("DescribeInstances")) - describesBeforeDelete).toBeGreaterThan(1);
    expect((await provider.read(created.id, created.outs)).id).toBe("");
  });

  test("an existing membership the lag still hides is answered by ECS on Join, and refused as not this resource's", async () => {
    await emulator.patch({ settings: { readAfterWriteLagMs: 60_000 } });
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb, IDS.sgOps] }] } });
    const err = await failureOf(provider.create(ops()));
    expect(err.message).toMatch(/already in security group sg-bp1ops \(JoinSecurityGroup answered InvalidInstanceId\.AlreadyExists/);
  });
});
