import { adminRequest } from "../../emulator";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, REGION } from "../../testing/default-world";

let emulator: TestEmulator;
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => emulator.close());

/** A raw admin request, sent as JSON as the emulator requires of everything but GET. */
const admin = (method: string, path: string, body?: string) =>
  fetch(`${emulator.url}/_emulator/${path}`, { method, body, headers: method === "GET" ? {} : { "content-type": "application/json" } }).then(
    async (r) => ({ status: r.status, json: (await r.json()) as { message?: string } }),
  );

describe("GET/DELETE /_emulator/stats", () => {
  it("counts every ECS request by Action, failed ones too, and not admin requests", async () => {
    const client = popClient(emulator.url);
    await client.request("DescribeInstanceAttribute", { InstanceId: IDS.running });
    await client.request("DescribeInstanceAttribute", { InstanceId: "i-bp1nosuchthing" }).catch(() => undefined);
    await client.request("LeaveSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgWeb }).catch(() => undefined);
    await popClient(emulator.url, { accessKeyId: "nobody", accessKeySecret: "x" })
      .request("DescribeInstances", { RegionId: REGION })
      .catch(() => undefined);
    await emulator.state();
    expect(await emulator.stats()).toEqual({
      actions: { DescribeInstanceAttribute: 2, LeaveSecurityGroup: 1, DescribeInstances: 1 },
      total: 4,
      refused: {},
    });
  });

  it("resets with DELETE", async () => {
    await popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running });
    await emulator.resetStats();
    expect(await emulator.stats()).toEqual({ actions: {}, total: 0, refused: {} });
  });
});

describe("GET /_emulator/state and POST /_emulator/world", () => {
  it("returns the whole world", async () => {
    const state = await emulator.state();
    expect(state.instances.map((i) => i.instanceId)).toEqual([IDS.running, IDS.stopped, IDS.locked, IDS.pending]);
    expect(state.accessKeys.length).toBeGreaterThan(0);
    expect(state.faults).toEqual([]);
  });

  it("changes the world out of band and answers the new state", async () => {
    const state = await emulator.patch({ upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgOps] }] } });
    expect(state.instances.find((i) => i.instanceId === IDS.stopped)!.securityGroupIds).toEqual([IDS.sgOps]);
    const seen = await popClient(emulator.url).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
      InstanceId: IDS.stopped,
    });
    expect(seen.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgOps]);
  });

  it("refuses a bad patch with 400 and a message, leaving the world as it was", async () => {
    const before = await emulator.state();
    const answer = await admin("POST", "world", JSON.stringify({ upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [] }] } }));
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(/securityGroupIds/);
    expect((await admin("POST", "world", "{not json")).json.message).toMatch(/not valid JSON/);
    expect(await emulator.state()).toEqual(before);
  });
});

describe("PUT/GET/DELETE /_emulator/faults", () => {
  it("replaces, returns and clears the rules", async () => {
    const rules = [{ action: "LeaveSecurityGroup", kind: "throttling", code: "Throttling.Api", times: 3 }];
    expect((await admin("PUT", "faults", JSON.stringify({ rules, rngSeed: 5 }))).json).toEqual({ rules, rngSeed: 5 });
    expect((await admin("GET", "faults")).json).toEqual({ rules, rngSeed: 5 });
    expect((await admin("DELETE", "faults")).json).toEqual({ rules: [], rngSeed: 5 });
    expect((await emulator.state()).faults).toEqual([]);
  });

  it("refuses invalid rules with 400 and says which field is wrong", async () => {
    const answer = await admin("PUT", "faults", JSON.stringify({ rules: [{ action: "*", kind: "latency" }] }));
    expect(answer).toEqual({ status: 400, json: { message: 'faults[0].latencyMs is required for kind "latency"' } });
    await expect(adminRequest(emulator.url, "PUT", "faults", [])).rejects.toThrow("400");
  });
});

describe("routing", () => {
  it("answers 404 for an unknown admin endpoint and 405 for a method it does not take", async () => {
    expect((await admin("GET", "nothing")).status).toBe(404);
    expect((await admin("GET", "__proto__")).status).toBe(404);
    expect(await admin("PUT", "stats")).toEqual({ status: 405, json: { message: expect.stringContaining("use GET, DELETE") } });
  });
});
