import * as http from "node:http";
import { emulatorAdmin, startEmulator, type RunningEmulator } from "../../emulator";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { defaultSeed, IDS, KEYS } from "../../testing/default-world";
import { signedForm, commonParams } from "../../testing/signing";

interface Answer {
  status: number;
  text: string;
}

/** A request with exactly these headers (a browser's, an attacker's): fetch would not let a test set Host. */
function send(url: string, method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const lockAll = JSON.stringify({ upsert: { instances: [{ instanceId: IDS.running, locked: true }] } });
const isLocked = async (e: TestEmulator) => (await e.state()).instances.find((i) => i.instanceId === IDS.running)!.locked;

describe("the admin API against web pages", () => {
  let emulator: TestEmulator;
  let host: string;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    host = new URL(emulator.url).host;
  });
  afterAll(() => emulator.close());

  it("refuses a text/plain POST, the simple cross-origin request a page can send without a preflight", async () => {
    const answer = await send(emulator.url, "POST", "/_emulator/world", { host, "content-type": "text/plain;charset=UTF-8" }, lockAll);
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text)).toEqual({ message: "POST on the admin API must be sent as application/json" });
    expect(await isLocked(emulator)).toBe(false);
    const form = { host, "content-type": "application/x-www-form-urlencoded" };
    expect((await send(emulator.url, "PUT", "/_emulator/faults", form, '{"rules": []}')).status).toBe(415);
    expect((await send(emulator.url, "DELETE", "/_emulator/faults", form)).status).toBe(415);
    expect((await send(emulator.url, "DELETE", "/_emulator/stats", { host, "content-type": "text/plain", "content-length": 2 }, "{}")).status).toBe(
      415,
    );
  });

  it("refuses a request carrying a foreign Origin, admin or ECS API", async () => {
    const json = { host, "content-type": "application/json" };
    const fromPage = await send(emulator.url, "POST", "/_emulator/world", { ...json, origin: "http://evil.example" }, lockAll);
    expect(fromPage.status).toBe(403);
    expect(JSON.parse(fromPage.text).message).toContain("Origin http://evil.example is not this emulator's");
    expect((await send(emulator.url, "GET", "/_emulator/state", { host, origin: "null" })).status).toBe(403);
    expect(await isLocked(emulator)).toBe(false);
    const form = signedForm("GET", { ...commonParams("DescribeInstanceAttribute"), InstanceId: IDS.running }, KEYS.full.accessKeySecret);
    const ecs = await send(emulator.url, "GET", `/?${form}`, { host, origin: "http://evil.example" });
    expect(ecs.status).toBe(403);
    expect(JSON.parse(ecs.text)).toMatchObject({ Code: "InvalidParameter", Message: expect.stringContaining("cross-origin requests are refused") });
    expect((await send(emulator.url, "GET", "/_emulator/stats", { host, origin: emulator.url })).status).toBe(200);
  });

  it("refuses a foreign Host (DNS rebinding), so a page cannot read the state and its secrets", async () => {
    const port = new URL(emulator.url).port;
    for (const foreign of [`evil.example:${port}`, "127.0.0.1:1", `attacker.127.0.0.1.nip.io:${port}`]) {
      const answer = await send(emulator.url, "GET", "/_emulator/state", { host: foreign });
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain(KEYS.full.accessKeySecret);
      expect(JSON.parse(answer.text).message).toContain(`not Host ${foreign}`);
    }
    for (const own of [host, `localhost:${port}`]) expect((await send(emulator.url, "GET", "/_emulator/state", { host: own })).status).toBe(200);
  });

  it("keeps working unchanged for emulatorAdmin and pop-core callers", async () => {
    const admin = emulatorAdmin(emulator.url);
    await admin.setFaults([{ action: "DescribeRegions", kind: "timeout" }]);
    await admin.clearFaults();
    await admin.resetStats();
    await popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running });
    expect(await admin.stats()).toEqual({ actions: { DescribeInstanceAttribute: 1 }, total: 1, refused: {} });
  });
});

describe("an admin token", () => {
  const TOKEN = "s3cret-admin-token";
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: defaultSeed(), adminToken: TOKEN });
  });
  afterAll(() => emulator.close());

  it("is required on every admin request when configured", async () => {
    const host = new URL(emulator.url).host;
    for (const headers of [{ host }, { host, authorization: "Bearer wrong" }, { host, "x-emulator-admin-token": `${TOKEN}x` }]) {
      const answer = await send(emulator.url, "GET", "/_emulator/state", headers);
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain(KEYS.full.accessKeySecret);
    }
    await expect(emulatorAdmin(emulator.url).stats()).rejects.toThrow("401");
    expect((await send(emulator.url, "GET", "/_emulator/stats", { host, "x-emulator-admin-token": TOKEN })).status).toBe(200);
  });

  it("is sent by emulatorAdmin(url, { token }), and the ECS API does not need it", async () => {
    expect(emulator.adminToken).toBe(TOKEN);
    const admin = emulatorAdmin(emulator.url, { token: TOKEN });
    const state = await admin.patch({ upsert: { instances: [{ instanceId: IDS.locked, locked: false }] } });
    expect(state.instances.find((i) => i.instanceId === IDS.locked)!.locked).toBe(false);
    await admin.setFaults([], 3);
    await admin.clearFaults();
    await expect(popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running })).resolves.toBeDefined();
    expect((await admin.stats()).total).toBe(1);
  });
});
