import * as http from "node:http";
import fc from "fast-check";
import * as net from "node:net";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS } from "../../testing/default-world";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  // Whatever the previous request did, the emulator still serves signed requests.
  await expect(popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running })).resolves.toBeDefined();
});

interface Answer {
  status: number;
  body: Record<string, string>;
}

function send(method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: Buffer | string): Promise<Answer> {
  const { hostname, port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Writes bytes on a raw socket and reads until the server closes it. */
function sendRaw(bytes: string): Promise<string> {
  const { hostname, port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}

const form = { "content-type": "application/x-www-form-urlencoded" };
const envelope = (code: string, message: string | RegExp) => ({
  RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
  HostId: "ecs.aliyuncs.com",
  Code: code,
  Message: expect.stringMatching(message),
  Recommend: expect.any(String),
});

describe("bad input gets a documented 4xx envelope", () => {
  it.each([
    ["a malformed percent-encoding", "GET", "/?Action=Describe%ZZ", {}, undefined, 400, "InvalidParameter", /malformed percent-encoding/],
    ["a duplicate parameter", "GET", "/?InstanceId=i-a&InstanceId=i-b", {}, undefined, 400, "InvalidParameter", /more than once/],
    ["a PUT", "PUT", "/", {}, undefined, 405, "InvalidParameter", /PUT is not supported/],
    ["a DELETE", "DELETE", "/?Action=LeaveSecurityGroup", {}, undefined, 405, "InvalidParameter", /DELETE is not supported/],
    ["a JSON body", "POST", "/", { "content-type": "application/json" }, "{}", 415, "InvalidParameter", /application\/json/],
    ["a body that is not UTF-8", "POST", "/", form, Buffer.from([0xc3, 0x28]), 400, "InvalidParameter", /UTF-8/],
    ["another path", "GET", "/admin", {}, undefined, 404, "InvalidAction.NotFound", /not found/],
    ["no parameters at all", "GET", "/", {}, undefined, 400, "MissingParameter", /"Action"/],
    [
      "garbage in headers",
      "GET",
      "/?Action=DescribeInstances",
      { "x-acs-date": "\u00ff\u00fe", "content-type": "%%%" },
      undefined,
      400,
      "MissingParameter",
      /Version/,
    ],
  ])("%s", async (_what, method, path, headers, body, status, code, message) => {
    const answer = await send(method, path, headers, body);
    expect(answer).toEqual({ status, body: envelope(code, message) });
  });

  it("a body over 1 MiB answers 413 and the connection stays usable", async () => {
    const answer = await send("POST", "/", form, Buffer.alloc(1024 * 1024 + 1, "a"));
    expect(answer).toEqual({ status: 413, body: envelope("InvalidParameter", /exceeds the limit of 1 MiB/) });
  });

  it("a body declared far too large is cut off without reading it", async () => {
    const answer = await sendRaw(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 999999999\r\n\r\nAction=`,
    );
    expect(answer).toBe("");
  });

  it("an unparsable request line or header answers 400 with an envelope and closes", async () => {
    for (const garbage of [
      "GET / HTTP/1.1\r\nBad Header Name: x\r\n\r\n",
      "\u0000\u0001\u0002 nonsense\r\n\r\n",
      "GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
    ]) {
      const answer = await sendRaw(garbage);
      expect(answer).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual(envelope("InvalidParameter", /malformed/));
    }
  });

  it("answers any bytes on the wire with a 2xx/4xx HTTP response or a closed connection, never a 5xx (property-based)", async () => {
    const token = fc.oneof(
      fc.constantFrom("Action=DescribeInstances", "Action=LeaveSecurityGroup", "&", "=", "%", "%ZZ", "%C3", "+", "Format=XML"),
      fc.constantFrom("Version=2014-05-26", "AccessKeyId=LTAI5tEmulatorFull01", "Signature=x", "SignatureNonce=1", "InstanceId=i-bp1running"),
      fc.string({ maxLength: 8 }),
    );
    const text = fc.array(token, { maxLength: 10 }).map((parts) => parts.join(""));
    const header = fc.constantFrom(
      "Content-Type: application/x-www-form-urlencoded\r\n",
      "Content-Type: text/plain\r\n",
      "Authorization: ACS3-HMAC-SHA256 Credential=x\r\n",
      "x-acs-action: DescribeInstances\r\n",
      "Transfer-Encoding: chunked\r\n",
      "Content-Length: -1\r\n",
      "",
    );
    // Well-formed HTTP around random parameters reaches the ECS handler; raw fragments exercise Node's parser.
    const request = fc
      .tuple(fc.constantFrom("GET", "POST", "PUT", "HEAD", "OPTIONS"), fc.constantFrom("/?", "/_emulator/faults?", "/x?"), text, header, text)
      .map(
        ([method, path, query, extra, body]) =>
          `${method} ${path}${query} HTTP/1.1\r\nHost: x\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    const garbage = fc
      .array(fc.oneof(token, fc.constantFrom("GET ", " HTTP/1.1\r\n", "\r\n", "Host: x\r\n")), { maxLength: 12 })
      .map((p) => p.join(""));
    await fc.assert(
      fc.asyncProperty(fc.oneof(request, garbage), async (bytes) => {
        const answer = await sendRaw(bytes);
        const status = /^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1];
        return answer === "" || (status !== undefined && Number(status) < 500);
      }),
      { numRuns: 200 },
    );
  });

  it("counts bad requests in stats, with their Action when one could be read", async () => {
    await emulator.resetStats();
    await send("GET", "/?Action=Describe%ZZ");
    await send("GET", "/?Action=DescribeInstances");
    expect(await emulator.stats()).toEqual({ actions: { DescribeInstances: 1 }, total: 2, refused: {} });
    await emulator.resetStats();
  });
});
