/** The provider's lifecycle methods, driven in-process against the emulator over HTTP with the real pop-core client. */
import type { SecurityGroupMembershipProvider } from "../../provider";
import { UNKNOWN_VALUE } from "../../provider/membership/inputs";
import type { TestEmulator } from "../../testing/test-emulator";
import { IDS, REGION } from "../../testing/default-world";
import { failureOf, groupsOf, useTestWorld } from "./support";

let emulator: TestEmulator;
let provider: SecurityGroupMembershipProvider;

useTestWorld((e, p) => ((emulator = e), (provider = p)));

async function checked(news: Record<string, unknown>) {
  const result = await provider.check({} as never, news as never);
  expect(result.failures).toEqual([]);
  return result.inputs!;
}

describe("create", () => {
  test("joins the group, returns <target>:<sg> as ID and the target's groups", async () => {
    const inputs = await checked({ instanceId: IDS.running, securityGroupId: IDS.sgDb });
    const result = await provider.create(inputs);
    expect(result.id).toBe(`${IDS.running}:${IDS.sgDb}`);
    expect(result.outs).toMatchObject({ instanceId: IDS.running, securityGroupId: IDS.sgDb, regionId: REGION });
    expect(result.outs!.securityGroupIds.sort()).toEqual([IDS.sgDb, IDS.sgWeb].sort());
    expect(await groupsOf(emulator, IDS.running)).toContain(IDS.sgDb);
  });

  test("an ENI joins with its own list", async () => {
    const inputs = await checked({ networkInterfaceId: IDS.eni, securityGroupId: IDS.sgOps });
    const result = await provider.create(inputs);
    expect(result.id).toBe(`${IDS.eni}:${IDS.sgOps}`);
    expect((await groupsOf(emulator, IDS.eni))!.sort()).toEqual([IDS.sgDb, IDS.sgOps].sort());
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });

  test("an existing membership is refused with how to adopt it: ECS's answer to the Join says so, and nothing else is called", async () => {
    const inputs = await checked({ instanceId: IDS.stopped, securityGroupId: IDS.sgDb });
    await emulator.resetStats();
    const err = await failureOf(provider.create(inputs));
    expect(err.message).toMatch(/already in security group sg-bp1db/);
    expect(err.message).toMatch(/adoptExisting: true/);
    expect(err.message).toMatch(/\(JoinSecurityGroup answered InvalidInstanceId\.AlreadyExists: .*RequestId/);
    expect((await emulator.stats()).actions).toEqual({ JoinSecurityGroup: 1 });
  });

  test("adoptExisting accepts an existing membership, and delete then removes it", async () => {
    const inputs = await checked({ instanceId: IDS.stopped, securityGroupId: IDS.sgDb, adoptExisting: true });
    const result = await provider.create(inputs);
    expect(result.id).toBe(`${IDS.stopped}:${IDS.sgDb}`);
    await provider.delete(result.id, result.outs!);
    expect(await groupsOf(emulator, IDS.stopped)).toEqual([IDS.sgWeb]);
  });
});

describe("read", () => {
  test("reports the live membership and the target's groups", async () => {
    const { id, outs } = await provider.create(await checked({ instanceId: IDS.running, securityGroupId: IDS.sgOps }));
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb, IDS.sgOps, IDS.sgDb] }] } });
    const read = await provider.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props!.securityGroupIds.sort()).toEqual([IDS.sgDb, IDS.sgOps, IDS.sgWeb].sort());
  });

  test.each([
    ["the target left the group", { upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgWeb] }] } }],
    ["the target is gone", { remove: { instances: [IDS.stopped] } }],
  ])("reports the resource gone when %s", async (_what, patch) => {
    const inputs = await checked({ instanceId: IDS.stopped, securityGroupId: IDS.sgDb, adoptExisting: true });
    const { id, outs } = await provider.create(inputs);
    await emulator.patch(patch);
    expect((await provider.read(id, outs)).id).toBe("");
  });

  test("reports the resource gone when the group is gone", async () => {
    const inputs = await checked({ instanceId: IDS.running, securityGroupId: IDS.sgOps });
    const { id, outs } = await provider.create(inputs);
    await emulator.patch({
      upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] },
      remove: { securityGroups: [IDS.sgOps] },
    });
    expect((await provider.read(id, outs)).id).toBe("");
  });
});

describe("diff", () => {
  const base = { instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION };

  test.each([
    ["securityGroupId", { securityGroupId: IDS.sgDb }],
    ["instanceId", { instanceId: IDS.stopped }],
    ["regionId", { regionId: "cn-shanghai" }],
  ])("replaces when %s changes", async (key, change) => {
    const { id, outs } = await provider.create(await checked(base));
    const diff = await provider.diff(id, outs!, { ...base, ...change } as never);
    expect(diff).toMatchObject({ changes: true, replaces: [key] });
  });

  test("replaces when the target switches from instance to ENI", async () => {
    const { id, outs } = await provider.create(await checked(base));
    const diff = await provider.diff(id, outs!, { networkInterfaceId: IDS.eni, securityGroupId: IDS.sgOps, regionId: REGION } as never);
    expect(diff.replaces!.sort()).toEqual(["instanceId", "networkInterfaceId"]);
  });

  test("an ID not known yet (preview) means replacement, without asking ECS", async () => {
    const { id, outs } = await provider.create(await checked(base));
    await emulator.resetStats();
    const diff = await provider.diff(id, outs!, { ...base, instanceId: UNKNOWN_VALUE } as never);
    expect(diff).toMatchObject({ changes: true, replaces: ["instanceId"] });
    expect((await emulator.stats()).total).toBe(0);
  });

  test("no changes while the membership is live", async () => {
    const { id, outs } = await provider.create(await checked(base));
    expect(await provider.diff(id, outs!, base as never)).toMatchObject({ changes: false, replaces: [] });
  });

  test("drift: a membership removed out of band is a change, and update restores it", async () => {
    const { id, outs } = await provider.create(await checked(base));
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] } });
    expect(await provider.diff(id, outs!, base as never)).toMatchObject({ changes: true, replaces: [] });
    const updated = await provider.update(id, outs!, base as never);
    expect(updated.outs!.securityGroupIds).toContain(IDS.sgOps);
    expect(await groupsOf(emulator, IDS.running)).toContain(IDS.sgOps);
  });

  test("a changed operationTimeoutSeconds is an in-place update", async () => {
    const { id, outs } = await provider.create(await checked(base));
    const news = { ...base, operationTimeoutSeconds: 30 };
    expect(await provider.diff(id, outs!, news as never)).toMatchObject({ changes: true, replaces: [] });
    await emulator.resetStats();
    const updated = await provider.update(id, outs!, news as never);
    expect(updated.outs!.operationTimeoutSeconds).toBe(30);
    expect((await emulator.stats()).actions.JoinSecurityGroup ?? 0).toBe(0);
  });
});

describe("delete", () => {
  test("leaves the group", async () => {
    const { id, outs } = await provider.create(await checked({ instanceId: IDS.running, securityGroupId: IDS.sgOps }));
    await provider.delete(id, outs!);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });

  test.each([
    ["the membership", { upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgWeb] }] } }],
    ["the target", { remove: { instances: [IDS.stopped] } }],
  ])("succeeds when %s is already gone: ECS's answer to LeaveSecurityGroup says so, and nothing else is called", async (_what, patch) => {
    const { id, outs } = await provider.create(await checked({ instanceId: IDS.stopped, securityGroupId: IDS.sgDb, adoptExisting: true }));
    await emulator.patch(patch);
    await emulator.resetStats();
    await provider.delete(id, outs!);
    expect((await emulator.stats()).actions).toEqual({ LeaveSecurityGroup: 1 });
  });

  test("the last group: fails with ECS's code and RequestId, why, and what to do", async () => {
    const inputs = await checked({ instanceId: IDS.running, securityGroupId: IDS.sgWeb, adoptExisting: true });
    const { id, outs } = await provider.create(inputs);
    const err = await failureOf(provider.delete(id, outs!));
    expect(err.message).toMatch(
      /InstanceLastSecurityGroup: The specified security group is the last security group for the instance\. \(RequestId: [\w-]+\)/,
    );
    expect(err.message).toMatch(/is only in security group sg-bp1web, and ECS requires every instance .* to keep at least one security group/);
    expect(err.message).toMatch(/another security group first/);
    expect(err.message).toMatch(/retainOnDelete/);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });

  test("an ENI leaves its own group", async () => {
    const { id, outs } = await provider.create(await checked({ networkInterfaceId: IDS.eni, securityGroupId: IDS.sgOps }));
    await provider.delete(id, outs!);
    expect(await groupsOf(emulator, IDS.eni)).toEqual([IDS.sgDb]);
  });
});

describe("update", () => {
  test("confirms a live membership without waiting for a transitional instance", async () => {
    const base = { instanceId: IDS.pending, securityGroupId: IDS.sgDb, regionId: REGION, adoptExisting: true };
    const { id, outs } = await provider.create(await checked(base));
    const updated = await provider.update(id, outs!, { ...base, operationTimeoutSeconds: 5 } as never);
    expect(updated.outs!.securityGroupIds).toContain(IDS.sgDb);
    expect((await emulator.state()).instances.find((i) => i.instanceId === IDS.pending)!.status).toBe("Pending");
  });
});
