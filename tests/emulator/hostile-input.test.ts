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
