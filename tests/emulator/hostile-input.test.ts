import { startEmulator } from "../../emulator";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { defaultSeed, IDS } from "../helpers/seed";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

/** A world patch as raw JSON text, so keys like __proto__ arrive as own properties, as they would from any client. */
const patchText = (text: string) =>
  fetch(`${emulator.url}/_emulator/world`, { method: "POST", headers: { "content-type": "application/json" }, body: text }).then(
    async (r) => ({ status: r.status, json: (await r.json()) as { message?: string } }),
  );

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
    [{ settings: { statusDelaysMs: { stoppingToStopped: Number.MAX_SAFE_INTEGER } } }, "patch.settings.statusDelaysMs.stoppingToStopped: must be a non-negative integer up to 86400000"],
    [{ settings: { readAfterWriteLagMs: 600_001 } }, "patch.settings.readAfterWriteLagMs: must be a non-negative integer up to 600000"],
    [{ settings: { maxSecurityGroupsPerTarget: 1e9 } }, "patch.settings.maxSecurityGroupsPerTarget: must be a positive integer up to 100"],
    [{ upsert: { instances: [{ instanceId: IDS.running, busyUntil: 2 ** 60 }] } }, "patch.upsert.instances[0].busyUntil: must be a non-negative integer up to 253402300799999"],
    [{ upsert: { instances: [{ instanceId: IDS.pending, transitionEndsAt: 1.5 }] } }, "patch.upsert.instances[0].transitionEndsAt: must be a non-negative integer"],
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
    await expect(startEmulator({ seed: { ...defaultSeed(), rngSeed: 2 ** 40 } })).rejects.toThrow("rngSeed must be a non-negative integer up to 4294967295");
  });

  it("a seed with an unloadable delay is refused at start, naming it", async () => {
    const seed = { ...defaultSeed(), settings: { statusDelaysMs: { pendingToRunning: Number.MAX_SAFE_INTEGER } } };
    await expect(startEmulator({ seed })).rejects.toThrow("settings.statusDelaysMs.pendingToRunning: must be a non-negative integer up to 86400000");
  });
});
