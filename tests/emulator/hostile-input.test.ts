import { startEmulator } from "../../emulator";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { defaultSeed, IDS, REGION } from "../../testing/default-world";
import { signedCall } from "../../testing/signing";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

/** A world patch as raw JSON text, so keys like __proto__ arrive as own properties, as they would from any client. */
const patchText = (text: string) =>
  fetch(`${emulator.url}/_emulator/world`, { method: "POST", headers: { "content-type": "application/json" }, body: text }).then(async (r) => ({
    status: r.status,
    json: (await r.json()) as { message?: string },
  }));

describe("fields named like Object.prototype's members", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("a patch field %s is refused, naming it", async (field) => {
    const before = await emulator.state();
    const answer = await patchText(`{"upsert": {"instances": [{"instanceId": "${IDS.running}", "${field}": {"locked": true}}]}}`);
    expect(answer).toEqual({ status: 400, json: { message: expect.stringContaining(`patch.upsert.instances[0].${field}: unknown field`) } });
    expect(await emulator.state()).toEqual(before);
  });

  it.each(["__proto__", "constructor", "toString"])("a seed field %s is refused, naming it", async (field) => {
    const seed = JSON.parse(JSON.stringify(defaultSeed()).replace('"locked":false', `"locked":false,"${field}":1`));
    await expect(startEmulator({ seed })).rejects.toThrow(`instances[0].${field}: unknown field`);
  });
});

describe("numbers out of bounds", () => {
  it.each([
    [{ settings: { conflictWindowMs: Number.MAX_SAFE_INTEGER } }, "patch.settings.conflictWindowMs: must be a non-negative integer up to 86400000"],
    [
      { settings: { statusDelaysMs: { stoppingToStopped: Number.MAX_SAFE_INTEGER } } },
      "patch.settings.statusDelaysMs.stoppingToStopped: must be a non-negative integer up to 86400000",
    ],
    [{ settings: { readAfterWriteLagMs: 600_001 } }, "patch.settings.readAfterWriteLagMs: must be a non-negative integer up to 600000"],
    [{ settings: { maxSecurityGroupsPerTarget: 1e9 } }, "patch.settings.maxSecurityGroupsPerTarget: must be a positive integer up to 100"],
    [
      { upsert: { instances: [{ instanceId: IDS.running, busyUntil: 2 ** 60 }] } },
      "patch.upsert.instances[0].busyUntil: must be a non-negative integer up to 253402300799999",
    ],
    [
      { upsert: { instances: [{ instanceId: IDS.pending, transitionEndsAt: 1.5 }] } },
      "patch.upsert.instances[0].transitionEndsAt: must be a non-negative integer",
    ],
  ])("a patch of %j is refused with 400, naming the field and its bound", async (patch, message) => {
    const before = await emulator.state();
    const answer = await patchText(JSON.stringify(patch));
    expect(answer).toEqual({ status: 400, json: { message: expect.stringContaining(message) } });
    expect(await emulator.state()).toEqual(before);
  });

  it.each([
    [{ action: "*", kind: "latency", latencyMs: 2 ** 31 }, "faults[0].latencyMs must be a non-negative integer up to 600000"],
    [{ action: "*", kind: "drop", times: 1e12 }, "faults[0].times must be a non-negative integer up to 1000000000"],
  ])("a fault rule %j is refused, naming the field and its bound", async (rule, message) => {
    await expect(emulator.setFaults([rule as never])).rejects.toThrow(message);
  });

  it("an rngSeed outside 32 bits is refused", async () => {
    await expect(emulator.setFaults([], -1)).rejects.toThrow("rngSeed must be a non-negative integer up to 4294967295");
    await expect(startEmulator({ seed: { ...defaultSeed(), rngSeed: 2 ** 40 } })).rejects.toThrow(
      "rngSeed must be a non-negative integer up to 4294967295",
    );
  });

  it("a seed with an unloadable delay is refused at start, naming it", async () => {
    const seed = { ...defaultSeed(), settings: { statusDelaysMs: { pendingToRunning: Number.MAX_SAFE_INTEGER } } };
    await expect(startEmulator({ seed })).rejects.toThrow("settings.statusDelaysMs.pendingToRunning: must be a non-negative integer up to 86400000");
  });
});

/** Code points XML 1.0 cannot carry: a parser stops at the first one. */
const NOT_IN_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

describe("names and XML", () => {
  it("refuses an InstanceName with a control character as InvalidInstanceName.Malformed, in well-formed XML", async () => {
    const answer = await signedCall(emulator.url, "RunInstances", {
      RegionId: REGION,
      SecurityGroupId: IDS.sgWeb,
      InstanceName: "web\u0001\u001b[2J",
      Format: "XML",
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("<Code>InvalidInstanceName.Malformed</Code>");
    expect(answer.text).not.toMatch(NOT_IN_XML);
    expect((await emulator.state()).instances).toHaveLength(defaultSeed().instances.length);
  });

  it.each([
    ["one character", "InvalidInstanceName.Malformed", "w"],
    ["129 characters", "InvalidInstanceName.Malformed", "w".repeat(129)],
    ["128 characters", "ok", "w".repeat(128)],
    ["two characters", "ok", "db"],
  ])("ModifyInstanceAttribute with a name of %s answers %s", async (_what, expected, name) => {
    const result = await popClient(emulator.url)
      .request("ModifyInstanceAttribute", { InstanceId: IDS.stopped, InstanceName: name })
      .then(
        () => "ok",
        (e: { code: string }) => e.code,
      );
    expect(result).toBe(expected);
  });

  it("keeps XML well-formed whatever a seeded name holds", async () => {
    const seed = defaultSeed();
    seed.securityGroups[0]!.securityGroupName = "web\u0000\u0008\uffff";
    const seeded = await startTestEmulator(seed);
    try {
      const answer = await signedCall(seeded.url, "DescribeSecurityGroups", { RegionId: REGION, Format: "XML" });
      expect(answer.status).toBe(200);
      expect(answer.text).not.toMatch(NOT_IN_XML);
      expect(answer.text).toContain("<SecurityGroupName>web\ufffd\ufffd\ufffd</SecurityGroupName>");
    } finally {
      await seeded.close();
    }
  });

  it("refuses a seeded instanceName ECS would refuse, naming the field", async () => {
    const seed = defaultSeed();
    seed.instances[1]!.instanceName = "\u0007";
    await expect(startEmulator({ seed })).rejects.toThrow("instances[1].instanceName: must be 2 to 128 characters, no control characters");
  });
});

describe("memory that strangers could fill", () => {
  it("counts unknown actions, however long, in one 'other' bucket", async () => {
    await emulator.resetStats();
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (let i = 0; i < 20; i++) {
      const answer = await fetch(`${emulator.url}/`, { method: "POST", headers: form, body: `Action=${String(i).padStart(100_000, "A")}` });
      expect(answer.status).toBe(400);
    }
    await popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running });
    const stats = await emulator.stats();
    expect(stats).toEqual({ actions: { other: 20, DescribeInstanceAttribute: 1 }, total: 21, refused: {} });
  });
});
