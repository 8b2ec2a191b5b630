import { DescribeInstanceAttributeRequest } from "@alicloud/ecs20140526";
import { officialEcsClient } from "../../testing/official-ecs-client";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS } from "../../testing/default-world";
import { signedCall } from "../../testing/signing";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
afterEach(() => emulator.clearFaults());

const describe1 = { InstanceId: IDS.running };
const callDescribe = (url = emulator.url) => popClient(url).request<{ InstanceId: string }>("DescribeInstanceAttribute", describe1);
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? "transport",
  );

describe("ECS error faults", () => {
  it.each([
    [{ kind: "throttling" }, 400, "Throttling"],
    [{ kind: "throttling", code: "Throttling.User" }, 400, "Throttling.User"],
    [{ kind: "throttling", code: "Throttling.Api" }, 400, "Throttling.Api"],
    [{ kind: "timeout" }, 504, "RequestTimeout"],
    [{ kind: "server-error" }, 500, "InternalError"],
    [{ kind: "unavailable" }, 503, "ServiceUnavailable"],
  ] as const)("%j answers %i %s to pop-core and on the wire", async (rule, status, code) => {
    await emulator.setFaults([{ action: "DescribeInstanceAttribute", ...rule }]);
    expect(await outcome(callDescribe())).toBe(code);
    const raw = await signedCall(emulator.url, "DescribeInstanceAttribute", describe1);
    expect(raw.status).toBe(status);
    expect(JSON.parse(raw.text)).toMatchObject({ Code: code, RequestId: expect.any(String), HostId: expect.any(String) });
  });

  it("reaches the official client as its typed error", async () => {
    await emulator.setFaults([{ action: "*", kind: "throttling", code: "Throttling.User" }]);
    const error = await officialEcsClient(emulator.url)
      .describeInstanceAttribute(new DescribeInstanceAttributeRequest({ instanceId: IDS.running }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Throttling.User", statusCode: 400 });
  });
});

describe("transport faults", () => {
  it("bad-gateway answers a 502 HTML page that pop-core cannot parse as JSON", async () => {
    await emulator.setFaults([{ action: "*", kind: "bad-gateway" }]);
    const raw = await signedCall(emulator.url, "DescribeInstanceAttribute", describe1);
    expect(raw.status).toBe(502);
    expect(raw.contentType).toBe("text/html");
    expect(raw.text).toContain("<h1>502 Bad Gateway</h1>");
    // json-bigint, pop-core's parser, throws a plain SyntaxError-shaped object with the text it choked on.
    const error = await callDescribe().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "SyntaxError", text: expect.stringContaining("502 Bad Gateway") });
  });

  it("drop closes the connection without an answer, and the emulator keeps serving", async () => {
    await emulator.setFaults([{ action: "*", kind: "drop", times: 1 }]);
    const error = await callDescribe().catch((e: NodeJS.ErrnoException) => e);
    expect((error as NodeJS.ErrnoException).code).toMatch(/ECONNRESET|socket hang up/i);
    await expect(callDescribe()).resolves.toMatchObject({ InstanceId: IDS.running });
  });

  it("latency holds the answer back: a client with a short timeout gives up, a patient one gets the answer", async () => {
    await emulator.setFaults([{ action: "*", kind: "latency", latencyMs: 30_000, times: 1 }]);
    const impatient = popClient(emulator.url);
    const error = await impatient.request("DescribeInstanceAttribute", describe1, { timeout: 300 }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/timeout/i);
    await emulator.setFaults([{ action: "*", kind: "latency", latencyMs: 50 }]);
    await expect(callDescribe()).resolves.toMatchObject({ InstanceId: IDS.running });
  });
});

describe("rule matching", () => {
  it("hits only the next N requests with times", async () => {
    await emulator.setFaults([{ action: "DescribeInstanceAttribute", kind: "unavailable", times: 2 }]);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await outcome(callDescribe()));
    expect(results).toEqual(["ServiceUnavailable", "ServiceUnavailable", "ok", "ok"]);
    const settings = (await fetch(`${emulator.url}/_emulator/faults`).then((r) => r.json())) as { rules: { times: number }[] };
    expect(settings.rules[0]!.times).toBe(0);
  });

  it("hits only its action and its target", async () => {
    await emulator.setFaults([{ action: "DescribeInstanceAttribute", kind: "timeout", target: IDS.stopped }]);
    expect(await outcome(callDescribe())).toBe("ok");
    expect(await outcome(popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.stopped }))).toBe("RequestTimeout");
    expect(await outcome(popClient(emulator.url).request("DescribeSecurityGroups", { RegionId: "cn-hangzhou" }))).toBe("ok");
  });

  it("replays the same schedule from the same rngSeed", async () => {
    const schedule = async () => {
      await emulator.setFaults([{ action: "*", kind: "throttling", probability: 0.5 }], 1234);
      const results: string[] = [];
      for (let i = 0; i < 16; i++) results.push(await outcome(callDescribe()));
      return results;
    };
    const first = await schedule();
    expect(first).toContain("ok");
    expect(first).toContain("Throttling");
    expect(await schedule()).toEqual(first);
  });

  it("takes rules and rngSeed from the seed file, and counts faulted requests in stats", async () => {
    const seeded = await startTestEmulator({ faults: [{ action: "DescribeInstanceAttribute", kind: "server-error", times: 1 }], rngSeed: 9 });
    try {
      expect(await outcome(callDescribe(seeded.url))).toBe("InternalError");
      expect(await outcome(callDescribe(seeded.url))).toBe("ok");
      expect(await seeded.stats()).toEqual({ actions: { DescribeInstanceAttribute: 2 }, total: 2, refused: {} });
    } finally {
      await seeded.close();
    }
  });
});
