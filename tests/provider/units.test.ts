/** The provider's small parts on their own: settings resolution, the retry strategy, scrubbing, input checks. */
import fc from "fast-check";
import { resolveSettings, endpointFor } from "../../provider/config";
import { EcsApiError, scrub } from "../../provider/errors";
import { normalizeEcsError } from "../../provider/ecs-client";
import { checkInputs, UNKNOWN_VALUE } from "../../provider/inputs";
import { backoffDelayMs, Deadline, delay, GaveUpError, isRetryable, withRetries } from "../../provider/retry";
import { withTargetLock } from "../../provider/target-lock";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("settings", () => {
  test("stack config wins over the environment; region and endpoint resolve in the same order", async () => {
    const settings = resolveSettings(
      config({ "alicloud:accessKey": "AK1", "alicloud:secretKey": "S1", "alicloud:region": "cn-beijing" }),
      { ALIBABA_CLOUD_ACCESS_KEY_ID: "AK2", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "S2", ALIBABA_CLOUD_REGION_ID: "cn-shanghai", ALIBABA_CLOUD_ECS_ENDPOINT: "http://127.0.0.1:1" },
    );
    expect(await settings.credentials.get()).toEqual({ accessKeyId: "AK1", accessKeySecret: "S1", securityToken: undefined });
    expect(settings.defaultRegion).toBe("cn-beijing");
    expect(endpointFor(settings, "cn-beijing")).toBe("http://127.0.0.1:1");
  });

  test("the ALICLOUD_* names of @pulumi/alicloud and Terraform work too; without override the endpoint is per region", async () => {
    const settings = resolveSettings(undefined, { ALICLOUD_ACCESS_KEY: "AK3", ALICLOUD_SECRET_KEY: "S3", ALICLOUD_SECURITY_TOKEN: "T3", ALICLOUD_REGION: "eu-central-1" });
    expect(await settings.credentials.get()).toEqual({ accessKeyId: "AK3", accessKeySecret: "S3", securityToken: "T3" });
    expect(settings.defaultRegion).toBe("eu-central-1");
    expect(endpointFor(settings, "eu-central-1")).toBe("https://ecs.eu-central-1.aliyuncs.com");
  });

  test("half a key pair is named as the mistake it is", () => {
    expect(() => resolveSettings(config({ "alicloud:accessKey": "AK1" }), {})).toThrow(/Incomplete Alibaba Cloud credentials in the stack config: alicloud:secretKey is not set/);
    expect(() => resolveSettings(undefined, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "S" })).toThrow(/ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY is not set/);
  });
});

describe("retry strategy", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 2000, random: Math.random };

  test("full jitter: every delay is within [0, min(max, base·2^(n-1))]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelayMs({ ...policy, random: () => r }, attempt);
        return delay >= 0 && delay <= Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      }),
    );
  });

  const throttled = new EcsApiError("JoinSecurityGroup", "Throttling.User", "Request was denied due to user flow control.", "R1", false);
  const conflict = new EcsApiError("JoinSecurityGroup", "InvalidOperation.Conflict", "busy", "R2", false);

  test("what is retried: throttling, 5xx and transport for everything; conflicts and status only for writes", () => {
    expect(isRetryable(throttled, "read")).toBe(true);
    expect(isRetryable(new EcsApiError("X", "Whatever", "m", "R", true), "read")).toBe(true);
    expect(isRetryable(new EcsApiError("X", "Transport.NonJsonResponse", "m", undefined, true), "read")).toBe(true);
    expect(isRetryable(conflict, "read")).toBe(false);
    expect(isRetryable(conflict, "write")).toBe(true);
    expect(isRetryable(new EcsApiError("X", "InstanceLockedForSecurity", "m", "R", false), "write")).toBe(false);
    expect(isRetryable(new Error("not from ECS"), "write")).toBe(false);
  });

  test("gives up with the last error once the deadline leaves no room", async () => {
    let attempts = 0;
    const deadline = Deadline.after(200);
    const failure = await withRetries(async () => {
      attempts++;
      throw throttled;
    }, { kind: "write", deadline, policy: { baseDelayMs: 5, maxDelayMs: 20, random: () => 1 } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GaveUpError);
    expect((failure as GaveUpError).lastError).toBe(throttled);
    expect((failure as GaveUpError).attempts).toBe(attempts);
    expect(attempts).toBeGreaterThan(3);
  });
});

describe("scrubbing", () => {
  test("pop-core's message with the signed URL, and SignatureDoesNotMatch's string to sign, lose every secret", () => {
    const url = "http://127.0.0.1:4000/?AccessKeyId=LTAIsecretid&Action=JoinSecurityGroup&SecurityToken=tok%2Fen&Signature=abc%3D&SignatureNonce=n1";
    const thrown = Object.assign(new Error(`Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIsecretid, URL: ${url}`), {
      code: "SignatureDoesNotMatch",
      data: { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIsecretid%26SecurityToken%3Dtok", RequestId: "R-1" },
      entry: { response: { statusCode: 400 } },
    });
    const err = normalizeEcsError("JoinSecurityGroup", thrown, ["LTAIsecretid", "tok/en"]) as EcsApiError;
    expect(err.code).toBe("SignatureDoesNotMatch");
    expect(err.requestId).toBe("R-1");
    expect(err.message).not.toMatch(/LTAIsecretid|tok|Signature=|http/);
  });

  test("any text: secrets in raw and URL-encoded form are removed", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9/+=]{6,24}$/);
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (value, before, after) => {
        fc.pre(!before.includes(value) && !after.includes(value));
        const clean = scrub(`${before}${value}${after} ${encodeURIComponent(value)}`, [value]);
        return !clean.includes(value) && !clean.includes(encodeURIComponent(value));
      }),
    );
  });
});

describe("target lock", () => {
  test("work on one target runs one at a time, in arrival order, even when some of it fails; other targets run alongside", async () => {
    const events: string[] = [];
    const work = (key: string, name: string, fail = false) =>
      withTargetLock(key, async () => {
        events.push(`${name}:start`);
        await delay(5);
        events.push(`${name}:end`);
        if (fail) throw new Error(name);
      }).catch(() => undefined);
    await Promise.all([work("i-a", "a1"), work("i-a", "a2", true), work("i-b", "b1"), work("i-a", "a3")]);
    const onA = events.filter((e) => e.startsWith("a"));
    expect(onA).toEqual(["a1:start", "a1:end", "a2:start", "a2:end", "a3:start", "a3:end"]);
    expect(events.indexOf("b1:start")).toBeLessThan(events.indexOf("a1:end"));
  });
});

describe("check", () => {
  test("unknown values during preview pass; the region comes from configuration", () => {
    const { inputs, failures } = checkInputs({ instanceId: UNKNOWN_VALUE, securityGroupId: UNKNOWN_VALUE }, "cn-hangzhou");
    expect(failures).toEqual([]);
    expect(inputs.regionId).toBe("cn-hangzhou");
  });

  test("each invalid input is named with its reason", () => {
    const { failures } = checkInputs({ securityGroupId: "group-1", regionId: "Hangzhou", operationTimeoutSeconds: -1, adoptExisting: "yes" }, undefined);
    expect(failures.map((f) => f.property).sort()).toEqual(["adoptExisting", "instanceId", "operationTimeoutSeconds", "regionId", "securityGroupId"]);
    expect(failures.find((f) => f.property === "instanceId")!.reason).toMatch(/exactly one of instanceId and networkInterfaceId: neither/);
    expect(checkInputs({ instanceId: "i-abc", securityGroupId: "sg-abc" }, undefined).failures).toEqual([
      { property: "regionId", reason: expect.stringMatching(/alicloud:region.*ALIBABA_CLOUD_REGION_ID/) },
    ]);
  });
});
