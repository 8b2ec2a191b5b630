import * as http from "node:http";
import { startEmulator, type RunningEmulator, type Seed } from "../../emulator";
import type { ConsoleSnapshot } from "../../emulator/console/hub";
import { defaultSeed, IDS, KEYS, REGION } from "../../testing/default-world";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { eventually } from "../../testing/wait";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request with exactly these headers (curl's, a page's, an attacker's), and a body's length when it has one. */
function send(url: string, method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: string): Promise<Answer> {
  const { hostname, port, host } = new URL(url);
  const length = body === undefined ? {} : { "content-length": Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path, headers: { host, ...length, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** An event stream read as it arrives, which the test may stop reading (a frozen page). */
interface Stream {
  res: http.IncomingMessage;
  text(): string;
  ended: Promise<void>;
}

function openEvents(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/_emulator/console/events`, { headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      const ended = new Promise<void>((done) => res.on("end", done));
      resolve({ res, text: () => text, ended });
    });
    req.on("error", reject);
  });
}

const snapshotOf = async (url: string, headers: http.OutgoingHttpHeaders = {}): Promise<ConsoleSnapshot> =>
  JSON.parse((await send(url, "GET", "/_emulator/console/snapshot", headers)).text) as ConsoleSnapshot;

describe("admin DELETE without a body", () => {
  let emulator: TestEmulator;
  beforeAll(async () => (emulator = await startTestEmulator()));
  afterAll(() => emulator.close());

  it("is accepted as curl -X DELETE sends it (no content type), and still refused when it declares another type", async () => {
    await emulator.setFaults([{ action: "DescribeRegions", kind: "timeout" }]);
    const bare = await send(emulator.url, "DELETE", "/_emulator/faults");
    expect(bare.status).toBe(200);
    expect(JSON.parse(bare.text)).toEqual({ rules: [], rngSeed: 1 });
    expect((await emulator.state()).faults).toEqual([]);
    expect((await send(emulator.url, "DELETE", "/_emulator/stats")).status).toBe(200);
    expect((await send(emulator.url, "DELETE", "/_emulator/faults", { "content-type": "text/plain" }, "x")).status).toBe(415);
    expect((await send(emulator.url, "DELETE", "/_emulator/faults", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await send(emulator.url, "DELETE", "/_emulator/faults", { origin: "http://evil.example" })).status).toBe(403);
  });
});

describe("the console over plain HTTP", () => {
  let emulator: RunningEmulator;
  const token = "console-test-token";
  const bearer = { authorization: `Bearer ${token}` };
  beforeAll(async () => (emulator = await startEmulator({ seed: defaultSeed(), adminToken: token })));
  afterAll(() => emulator.close());

  it("serves the page without the token, but its data only with it", async () => {
    expect(emulator.consoleUrl).toBe(`${emulator.url}/_emulator/console`);
    const page = await send(emulator.url, "GET", "/_emulator/console");
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(page.text).toContain("<title>ECS emulator console</title>");
    for (const asset of ["console.js", "console.css"]) expect((await send(emulator.url, "GET", `/_emulator/console/${asset}`)).status).toBe(200);
    for (const data of ["snapshot", "events"]) expect((await send(emulator.url, "GET", `/_emulator/console/${data}`)).status).toBe(401);
    const snapshot = await snapshotOf(emulator.url, bearer);
    expect(snapshot.world.targets.map((t) => t.id)).toEqual([IDS.running, IDS.stopped, IDS.locked, IDS.pending, IDS.eni]);
    expect(JSON.stringify(snapshot)).not.toContain(KEYS.full.accessKeySecret);
  });

  it("refuses a foreign Host (DNS rebinding) and a foreign Origin, page and data alike", async () => {
    const port = new URL(emulator.url).port;
    for (const path of ["/_emulator/console", "/_emulator/console/snapshot", "/_emulator/console/events"]) {
      expect((await send(emulator.url, "GET", path, { ...bearer, host: `evil.example:${port}` })).status).toBe(403);
      expect((await send(emulator.url, "GET", path, { ...bearer, origin: "http://evil.example" })).status).toBe(403);
    }
    expect((await send(emulator.url, "GET", "/_emulator/console/nothing", bearer)).status).toBe(404);
    expect((await send(emulator.url, "POST", "/_emulator/console/snapshot", { ...bearer, "content-type": "application/json" }, "{}")).status).toBe(
      405,
    );
  });

  it("logs calls with the key ID masked and the fault rule that answered", async () => {
    await send(
      emulator.url,
      "PUT",
      "/_emulator/faults",
      { ...bearer, "content-type": "application/json" },
      '{"rules":[{"action":"DescribeInstanceAttribute","kind":"unavailable","times":1}]}',
    );
    await expect(popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running })).rejects.toMatchObject({
      code: "ServiceUnavailable",
    });
    await popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running });
    const { calls, counters } = await snapshotOf(emulator.url, bearer);
    expect(calls.slice(-2)).toEqual([
      expect.objectContaining({
        action: "DescribeInstanceAttribute",
        target: IDS.running,
        keyId: "LTAI…ll01",
        signatureMethod: "HMAC-SHA1",
        status: 503,
        code: "ServiceUnavailable",
        faults: ["#1 unavailable"],
      }),
      expect.objectContaining({ action: "DescribeInstanceAttribute", status: 200, code: "OK", throttled: false, conflict: false }),
    ]);
    expect(counters.DescribeInstanceAttribute).toEqual({ calls: 2, errors: 1, throttled: 0 });
  });
});

describe("a console reader that stops reading", () => {
  const TARGETS = 1000;
  let emulator: TestEmulator;
  beforeAll(async () => {
    const inVpc = { regionId: REGION, vpcId: IDS.vpc };
    const instances: Seed["instances"] = Array.from({ length: TARGETS }, (_, i) => ({
      instanceId: `i-bulk${i}`,
      ...inVpc,
      status: "Running",
      securityGroupIds: [IDS.sgWeb],
      locked: false,
    }));
    emulator = await startTestEmulator({ instances, networkInterfaces: [] });
  }, 30_000);
  afterAll(() => emulator.close());

  /** Every instance is renamed: one change of the world that touches every row (an event of about 230 kB). */
  const nameIn = (round: number) => `round-${round}-`.padEnd(100, "x");
  const renameAll = (round: number) =>
    emulator.patch({ upsert: { instances: Array.from({ length: TARGETS }, (_, i) => ({ instanceId: `i-bulk${i}`, instanceName: nameIn(round) })) } });

  it("is dropped events for, within a bounded buffer, then told it missed some, and reloads the world", async () => {
    const frozen = await openEvents(emulator.url);
    await eventually("the snapshot arrives", async () => frozen.text().includes("event: snapshot"));
    frozen.res.pause();
    let round = 0;
    let bufferedMost = 0;
    for (;;) {
      await renameAll((round += 1));
      const { streams } = await snapshotOf(emulator.url);
      bufferedMost = Math.max(bufferedMost, streams.bufferedBytes);
      if (streams.dropping === 1) break;
      if (round > 1000) throw new Error("the frozen reader was never dropped");
    }
    // More changes while it is frozen: none is queued for it.
    for (let i = 0; i < 5; i += 1) await renameAll((round += 1));
    const { streams } = await snapshotOf(emulator.url);
    bufferedMost = Math.max(bufferedMost, streams.bufferedBytes);
    const oneEvent = 300 * TARGETS;
    expect(bufferedMost).toBeLessThan(256 * 1024 + oneEvent);
    frozen.res.resume();
    await frozen.ended;
    expect(frozen.text()).toMatch(/event: missed\ndata: \{\}\n\n$/);
    // The page then opens a new stream, whose snapshot is the world as it is now.
    const fresh = await openEvents(emulator.url);
    await eventually("the new snapshot arrives", async () => /event: snapshot\ndata: .*\n\n/.test(fresh.text()));
    const snapshot = JSON.parse(/event: snapshot\ndata: (.*)\n\n/.exec(fresh.text())![1]!) as ConsoleSnapshot;
    expect(snapshot.world.targets.find((t) => t.id === "i-bulk0")!.name).toBe(nameIn(round));
    fresh.res.destroy();
  }, 60_000);
});
