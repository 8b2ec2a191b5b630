import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { DescribeInstanceAttributeRequest, LeaveSecurityGroupRequest } from "@alicloud/ecs20140526";
import { OpenApiUtil } from "@alicloud/openapi-core";
import { startEmulator } from "../../emulator";
import { officialEcsClient } from "../../testing/official-ecs-client";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { defaultSeed, IDS, KEYS, REGION } from "../../testing/default-world";
import { commonParams, rawCall, signedCall, signedForm } from "../../testing/signing";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const describeRunning = { InstanceId: IDS.running };
const isoSecondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

async function popError(promise: Promise<unknown>): Promise<{ code: string; data: Record<string, string> }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error("the request succeeded but should have failed");
  return error as { code: string; data: Record<string, string> };
}

describe.each(["GET", "POST"] as const)("signature 1.0 over %s", (method) => {
  it("accepts a correctly signed request", async () => {
    await expect(popClient(emulator.url, KEYS.full, { method }).request("DescribeInstanceAttribute", describeRunning)).resolves.toMatchObject({
      InstanceId: IDS.running,
    });
  });

  it("answers SignatureDoesNotMatch with the server's string to sign for a wrong secret", async () => {
    const client = popClient(emulator.url, { ...KEYS.full, accessKeySecret: "wrong" }, { method });
    const error = await popError(client.request("DescribeInstanceAttribute", describeRunning));
    expect(error.code).toBe("SignatureDoesNotMatch");
    const [, stringToSign] = error.data.Message!.split("server string to sign is:");
    expect(stringToSign).toMatch(new RegExp(`^${method}&%2F&AccessKeyId%3D${KEYS.full.accessKeyId}%26Action%3DDescribeInstanceAttribute%26`));
  });

  it("answers InvalidAccessKeyId.NotFound for an unknown key", async () => {
    const client = popClient(emulator.url, { accessKeyId: "LTAI5tNobodyKnows", accessKeySecret: "x" }, { method });
    expect((await popError(client.request("DescribeInstanceAttribute", describeRunning))).code).toBe("InvalidAccessKeyId.NotFound");
  });

  it("answers Forbidden.AccessKeyDisabled for a disabled key", async () => {
    const client = popClient(emulator.url, KEYS.disabled, { method });
    expect((await popError(client.request("DescribeInstanceAttribute", describeRunning))).code).toBe("Forbidden.AccessKeyDisabled");
  });

  it("refuses a reused SignatureNonce", async () => {
    const client = popClient(emulator.url, KEYS.full, { method });
    const nonce = `nonce-${method}-${Date.now()}`;
    await client.request("DescribeInstanceAttribute", { ...describeRunning, SignatureNonce: nonce });
    const error = await popError(client.request("DescribeInstanceAttribute", { ...describeRunning, SignatureNonce: nonce }));
    expect(error.code).toBe("SignatureNonceUsed");
  });

  it("accepts a Timestamp 10 minutes off and refuses one more than 15 minutes off either way", async () => {
    const client = popClient(emulator.url, KEYS.full, { method });
    await expect(client.request("DescribeInstanceAttribute", { ...describeRunning, Timestamp: isoSecondsAgo(600) })).resolves.toBeDefined();
    for (const seconds of [16 * 60, -16 * 60]) {
      const error = await popError(client.request("DescribeInstanceAttribute", { ...describeRunning, Timestamp: isoSecondsAgo(seconds) }));
      expect(error.code).toBe("InvalidTimeStamp.Expired");
    }
  });

  it("refuses a Timestamp that is not ISO 8601 UTC", async () => {
    const client = popClient(emulator.url, KEYS.full, { method });
    const error = await popError(client.request("DescribeInstanceAttribute", { ...describeRunning, Timestamp: "yesterday" }));
    expect(error.code).toBe("InvalidTimeStamp.Format");
  });

  it("answers InvalidAction.NotFound for an action ECS does not have", async () => {
    const client = popClient(emulator.url, KEYS.full, { method });
    const error = await popError(client.request("LaunchRocket", {}));
    expect(error.data).toMatchObject({ Code: "InvalidAction.NotFound", Message: "Specified api is not found, please check your url and method." });
  });

  it("denies a read-only key every mutating action with Forbidden.RAM, but lets it read", async () => {
    const client = popClient(emulator.url, KEYS.readOnly, { method });
    await expect(client.request("DescribeInstanceAttribute", describeRunning)).resolves.toBeDefined();
    const error = await popError(client.request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb }));
    expect(error.data).toMatchObject({
      Code: "Forbidden.RAM",
      Message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    });
    expect((await emulator.state()).instances.find((i) => i.instanceId === IDS.stopped)!.securityGroupIds).toContain(IDS.sgDb);
  });

  it("requires the SecurityToken of STS credentials and refuses a wrong one", async () => {
    await expect(popClient(emulator.url, KEYS.sts, { method }).request("DescribeInstanceAttribute", describeRunning)).resolves.toBeDefined();
    const { securityToken: _omitted, ...withoutToken } = KEYS.sts;
    const missing = await popError(popClient(emulator.url, withoutToken, { method }).request("DescribeInstanceAttribute", describeRunning));
    expect(missing.code).toBe("MissingSecurityToken");
    const wrong = await popError(
      popClient(emulator.url, { ...KEYS.sts, securityToken: "stolen" }, { method }).request("DescribeInstanceAttribute", describeRunning),
    );
    expect(wrong.code).toBe("InvalidSecurityToken.Mismatch");
  });
});

describe("common parameters and HTTP statuses (raw signed requests)", () => {
  it.each(["AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Version", "Action"])(
    "answers 400 MissingParameter naming %s when it is absent",
    async (name) => {
      const answer = await signedCall(emulator.url, "DescribeInstanceAttribute", { ...describeRunning, [name]: undefined });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ Code: "MissingParameter", Message: expect.stringContaining(`"${name}"`) });
    },
  );

  it("answers MissingParameter naming Signature for an unsigned request", async () => {
    const params = new URLSearchParams({ ...commonParams("DescribeInstanceAttribute"), ...describeRunning });
    const answer = await rawCall(emulator.url, "GET", params.toString());
    expect(JSON.parse(answer.text)).toMatchObject({ Code: "MissingParameter", Message: expect.stringContaining('"Signature"') });
  });

  it("answers 400 InvalidVersion for another API version", async () => {
    const answer = await signedCall(emulator.url, "DescribeInstanceAttribute", { ...describeRunning, Version: "2016-03-14" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ Code: "InvalidVersion" });
  });

  it("answers 400 IncompleteSignature for an unsupported signature method", async () => {
    const answer = await signedCall(emulator.url, "DescribeInstanceAttribute", { ...describeRunning, SignatureMethod: "HMAC-MD5" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ Code: "IncompleteSignature" });
  });

  it("answers SignatureDoesNotMatch when a signed parameter is changed in transit", async () => {
    const form = signedForm("GET", { ...commonParams("DescribeInstanceAttribute"), ...describeRunning }, KEYS.full.accessKeySecret);
    const answer = await rawCall(emulator.url, "GET", form.replace(IDS.running, IDS.stopped));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ Code: "SignatureDoesNotMatch" });
  });

  it.each([
    ["an unknown key", { AccessKeyId: "LTAI5tNobodyKnows" }, 404, "InvalidAccessKeyId.NotFound"],
    ["a disabled key", { AccessKeyId: KEYS.disabled.accessKeyId }, 403, "Forbidden.AccessKeyDisabled"],
    ["an expired timestamp", { Timestamp: "2016-02-23T12:46:24Z" }, 400, "InvalidTimeStamp.Expired"],
  ])("answers %s with its documented status", async (_what, overrides, status, code) => {
    const answer = await signedCall(emulator.url, "DescribeInstanceAttribute", { ...describeRunning, ...overrides });
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.text)).toMatchObject({ Code: code });
  });

  it("answers Forbidden.RAM with 403", async () => {
    const answer = await signedCall(
      emulator.url,
      "JoinSecurityGroup",
      { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps },
      { key: KEYS.readOnly, method: "POST" },
    );
    expect(answer.status).toBe(403);
  });
});

describe("ACS3-HMAC-SHA256 (official client)", () => {
  const describeRequest = () => new DescribeInstanceAttributeRequest({ instanceId: IDS.running });

  it("accepts STS credentials with their token", async () => {
    const answer = await officialEcsClient(emulator.url, KEYS.sts).describeInstanceAttribute(describeRequest());
    expect(answer.body?.instanceId).toBe(IDS.running);
  });

  it.each([
    ["a wrong secret", { ...KEYS.full, accessKeySecret: "wrong" }, "SignatureDoesNotMatch"],
    ["an unknown key", { accessKeyId: "LTAI5tNobodyKnows", accessKeySecret: "x" }, "InvalidAccessKeyId.NotFound"],
    ["a disabled key", KEYS.disabled, "Forbidden.AccessKeyDisabled"],
    ["a wrong security token", { ...KEYS.sts, securityToken: "stolen" }, "InvalidSecurityToken.Mismatch"],
  ])("refuses %s", async (_what, key, code) => {
    const error = await officialEcsClient(emulator.url, key)
      .describeInstanceAttribute(describeRequest())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code, data: { Code: code } });
  });

  it("denies a read-only key LeaveSecurityGroup with 403 Forbidden.RAM", async () => {
    const error = await officialEcsClient(emulator.url, KEYS.readOnly)
      .leaveSecurityGroup(new LeaveSecurityGroupRequest({ instanceId: IDS.stopped, securityGroupId: IDS.sgDb }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "Forbidden.RAM", statusCode: 403 });
  });

  it("accepts parameters in an ACS3-signed form body, signed by the SDK's own getAuthorization", async () => {
    const body = `InstanceId=${IDS.stopped}`;
    const post = (bodySent: string) => {
      const hash = createHash("sha256").update(body).digest("hex");
      const headers: Record<string, string> = {
        host: new URL(emulator.url).host,
        "content-type": "application/x-www-form-urlencoded",
        "x-acs-action": "DescribeInstanceAttribute",
        "x-acs-version": "2014-05-26",
        "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        "x-acs-signature-nonce": randomUUID(),
        "x-acs-content-sha256": hash,
      };
      const query = { RegionId: REGION };
      headers.authorization = OpenApiUtil.getAuthorization(
        { method: "POST", pathname: "/", query, headers } as never,
        "ACS3-HMAC-SHA256",
        hash,
        KEYS.full.accessKeyId,
        KEYS.full.accessKeySecret,
      );
      return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
        const req = http.request(`${emulator.url}/?RegionId=${REGION}`, { method: "POST", headers }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(text) as Record<string, unknown> }));
        });
        req.on("error", reject);
        req.end(bodySent);
      });
    };
    expect(await post(body)).toMatchObject({ status: 200, json: { InstanceId: IDS.stopped } });
    expect(await post(`InstanceId=${IDS.running}`)).toMatchObject({ status: 400, json: { Code: "SignatureDoesNotMatch" } });
  });

  it("answers a bad ACS3 signature with the server's ACS3 string to sign", async () => {
    const headers = {
      authorization:
        "ACS3-HMAC-SHA256 Credential=LTAI5tEmulatorFull01," +
        "SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=00",
      "x-acs-action": "DescribeInstanceAttribute",
      "x-acs-version": "2014-05-26",
      "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      "x-acs-signature-nonce": `n-${Date.now()}`,
      "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "content-type": "application/x-www-form-urlencoded",
    };
    const response = await fetch(`${emulator.url}/`, { method: "POST", headers, body: `InstanceId=${IDS.running}` });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      Code: "SignatureDoesNotMatch",
      Message: expect.stringContaining("server string to sign is:ACS3-HMAC-SHA256\n"),
    });
  });

  it("answers IncompleteSignature when the date and nonce headers are left out of SignedHeaders", async () => {
    const response = await fetch(`${emulator.url}/?InstanceId=${IDS.running}`, {
      headers: {
        authorization:
          "ACS3-HMAC-SHA256 Credential=LTAI5tEmulatorFull01,SignedHeaders=host;x-acs-action;x-acs-version;x-acs-content-sha256,Signature=00",
        "x-acs-action": "DescribeInstanceAttribute",
        "x-acs-version": "2014-05-26",
        "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        "x-acs-signature-nonce": `n-${Date.now()}`,
        "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      },
    });
    expect(await response.json()).toMatchObject({
      Code: "IncompleteSignature",
      Message: expect.stringContaining("x-acs-date, x-acs-signature-nonce"),
    });
  });

  it("answers IncompleteSignature for an Authorization header it cannot read", async () => {
    const response = await fetch(`${emulator.url}/?Action=DescribeInstanceAttribute&Version=2014-05-26`, {
      headers: { authorization: "ACS3-HMAC-SHA256 garbage" },
    });
    expect(await response.json()).toMatchObject({ Code: "IncompleteSignature" });
  });
});

describe("replay protection that neither a flood nor a restart flushes", () => {
  const join = { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps };
  /** A Join as an eavesdropper captures it: the signed form, sent again byte for byte. */
  const capturedJoin = () => signedForm("GET", { ...commonParams("JoinSecurityGroup"), ...join }, KEYS.full.accessKeySecret);
  const codeOf = (answer: { text: string }) => (JSON.parse(answer.text) as { Code?: string }).Code;

  it("refuses a key over its documented limit with Throttling.User instead of forgetting nonces", async () => {
    const limited = await startEmulator({ seed: defaultSeed(), maxSignedRequestsPerKey: 5 });
    try {
      const captured = capturedJoin();
      expect((await rawCall(limited.url, "GET", captured)).status).toBe(200);
      const reads = [];
      for (let i = 0; i < 8; i++)
        reads.push(
          await popClient(limited.url, KEYS.readOnly)
            .request("DescribeInstanceAttribute", describeRunning)
            .then(
              () => "ok",
              (e: { code: string }) => e.code,
            ),
        );
      expect(reads).toEqual(["ok", "ok", "ok", "ok", "ok", "Throttling.User", "Throttling.User", "Throttling.User"]);
      const throttled = await signedCall(limited.url, "DescribeInstanceAttribute", describeRunning, { key: KEYS.readOnly });
      expect(throttled.status).toBe(400);
      expect(JSON.parse(throttled.text)).toMatchObject({ Code: "Throttling.User", Message: "Request was denied due to user flow control." });
      for (let i = 0; i < 6; i++) await signedCall(limited.url, "DescribeInstanceAttribute", describeRunning);
      const replay = await rawCall(limited.url, "GET", captured);
      expect([replay.status, codeOf(replay)]).toEqual([400, "SignatureNonceUsed"]);
    } finally {
      await limited.close();
    }
  });

  it("refuses a request signed before a restart with --state", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-emulator-replay-"));
    const statePath = path.join(dir, "state.json");
    try {
      const first = await startEmulator({ seed: defaultSeed(), statePath });
      const captured = capturedJoin();
      try {
        expect((await rawCall(first.url, "GET", captured)).status).toBe(200);
      } finally {
        await first.close();
      }
      const second = await startEmulator({ seed: defaultSeed(), statePath });
      try {
        await popClient(second.url).request("LeaveSecurityGroup", join);
        const replay = await rawCall(second.url, "GET", captured);
        expect([replay.status, codeOf(replay)]).toEqual([400, "InvalidTimeStamp.Expired"]);
        const seen = await popClient(second.url).request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>(
          "DescribeInstanceAttribute",
          describeRunning,
        );
        expect(seen.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgWeb]);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("bounds the limit like every other number", async () => {
    await expect(startEmulator({ seed: defaultSeed(), maxSignedRequestsPerKey: 0 })).rejects.toThrow(
      "maxSignedRequestsPerKey must be a positive integer up to 2000000",
    );
  });
});
