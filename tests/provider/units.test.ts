/** The provider's small parts on their own: settings, the code table and retry strategy, scrubbing, input checks, locks. */
import fc from "fast-check";
import { unknownValue } from "@pulumi/pulumi/runtime";
import { backoffDelayMs } from "../../provider/calls/backoff";
import { endpointFor, resolveSettings } from "../../provider/membership/settings";
import { Deadline, delay } from "../../provider/calls/deadline";
import { TRANSPORT, retryRule } from "../../provider/ecs/codes";
import { normalizeEcsError } from "../../provider/ecs/client";
import { EcsApiError, scrub } from "../../provider/ecs/errors";
import { checkInputs, UNKNOWN_VALUE } from "../../provider/membership/inputs";
import { nearestRegions } from "../../provider/ecs/regions";
import { GaveUpError, withRetries } from "../../provider/calls/retry";
import { withTargetLock } from "../../provider/membership/target-lock";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const KNOWN = { defaultRegion: "cn-hangzhou", endpointConfigured: false };

describe("settings", () => {
  test("stack config wins over the environment; region and endpoint resolve in the same order, with where they came from", async () => {
    const settings = resolveSettings(config({ "alicloud:accessKey": "AK1", "alicloud:secretKey": "S1", "alicloud:region": "cn-beijing" }), {
      ALIBABA_CLOUD_ACCESS_KEY_ID: "AK2",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "S2",
      ALIBABA_CLOUD_REGION_ID: "cn-shanghai",
      ALIBABA_CLOUD_ECS_ENDPOINT: "http://127.0.0.1:1",
    });
    expect(await settings.credentials.get()).toEqual({ accessKeyId: "AK1", accessKeySecret: "S1", securityToken: undefined });
    expect(settings.defaultRegion).toBe("cn-beijing");
    expect(endpointFor(settings, "cn-beijing")).toEqual({ url: "http://127.0.0.1:1", source: "the environment variable ALIBABA_CLOUD_ECS_ENDPOINT" });
  });

  test("the ALICLOUD_* names of @pulumi/alicloud and Terraform work too; without override the endpoint is per region", async () => {
    const settings = resolveSettings(undefined, {
      ALICLOUD_ACCESS_KEY: "AK3",
      ALICLOUD_SECRET_KEY: "S3",
      ALICLOUD_SECURITY_TOKEN: "T3",
      ALICLOUD_REGION: "eu-central-1",
    });
    expect(await settings.credentials.get()).toEqual({ accessKeyId: "AK3", accessKeySecret: "S3", securityToken: "T3" });
    expect(settings.defaultRegion).toBe("eu-central-1");
    expect(endpointFor(settings, "eu-central-1")).toEqual({
      url: "https://ecs.eu-central-1.aliyuncs.com",
      source: "the public endpoint of region eu-central-1",
    });
  });

  test("half a key pair is named as the mistake it is", () => {
    expect(() => resolveSettings(config({ "alicloud:accessKey": "AK1" }), {})).toThrow(
      /Incomplete Alibaba Cloud credentials in the stack config: alicloud:secretKey is not set/,
    );
    expect(() => resolveSettings(undefined, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "S" })).toThrow(
      /ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY is not set/,
    );
  });

  test("a credential set but empty is named where it was set, not taken for one not set", () => {
    expect(() => resolveSettings(config({ "alicloud:accessKey": "", "alicloud:secretKey": "S" }), {})).toThrow(
      /^`alicloud:accessKey` is set but empty in the stack config: give it a value, or remove it; /,
    );
    expect(() => resolveSettings(config({ "alicloud:accessKey": "AK", "alicloud:secretKey": " \t" }), { ALIBABA_CLOUD_ACCESS_KEY_ID: "AK" })).toThrow(
      /^`alicloud:secretKey` is set but empty in the stack config/,
    );
    expect(() => resolveSettings(undefined, { ALIBABA_CLOUD_ACCESS_KEY_ID: " ", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "S" })).toThrow(
      /^ALIBABA_CLOUD_ACCESS_KEY_ID is set but empty in the environment/,
    );
    // Another name of the same value, or a whole pair in the stack config, makes an empty variable harmless.
    expect(() => resolveSettings(undefined, { ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALICLOUD_ACCESS_KEY: "AK", ALICLOUD_SECRET_KEY: "S" })).not.toThrow();
    expect(() =>
      resolveSettings(config({ "alicloud:accessKey": "AK", "alicloud:secretKey": "S" }), { ALIBABA_CLOUD_ACCESS_KEY_ID: "" }),
    ).not.toThrow();
  });
});

describe("retry strategy", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 2000, random: Math.random };
  const error = (code: string, status?: number) => new EcsApiError("JoinSecurityGroup", code, "m", "R1", status);

  test("full jitter: every delay is within [0, min(max, base·2^(n-1))]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelayMs({ ...policy, random: () => r }, attempt);
        return delay >= 0 && delay <= Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      }),
    );
  });

  test("what is retried: throttling, 5xx and dropped or timed-out calls always; busy targets on writes; wrong endpoints briefly", () => {
    expect(retryRule("Throttling.User", 400, "read")).toBe("always");
    expect(retryRule("SomethingNew", 502, "read")).toBe("always");
    expect(retryRule(TRANSPORT.proxyError, 502, "read")).toBe("always");
    expect(retryRule(TRANSPORT.dropped, undefined, "write")).toBe("always");
    expect(retryRule("InvalidOperation.Conflict", 409, "read")).toBe("never");
    expect(retryRule("InvalidOperation.Conflict", 409, "write")).toBe("always");
    expect(retryRule("InstanceLockedForSecurity", 403, "write")).toBe("never");
    expect(retryRule("SomethingNew", 400, "write")).toBe("never");
    for (const code of [TRANSPORT.connectionRefused, TRANSPORT.hostNotFound, TRANSPORT.tls, TRANSPORT.notEcs])
      expect(retryRule(code, undefined, "read")).toBe("briefly");
  });

  test("gives up with the last error once the deadline leaves no room", async () => {
    let attempts = 0;
    const throttled = error("Throttling.User", 400);
    const failure = await withRetries(
      async () => {
        attempts++;
        throw throttled;
      },
      { kind: "write", budget: Deadline.after(200), policy: { baseDelayMs: 5, maxDelayMs: 20, random: () => 1 }, onRetry: () => undefined },
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GaveUpError);
    expect((failure as GaveUpError).lastError).toBe(throttled);
    expect((failure as GaveUpError).attempts).toBe(attempts);
    // Retried before giving up (how many times depends on how busy the machine is).
    expect(attempts).toBeGreaterThan(1);
  });

  test("a failure that waiting cannot fix gets three attempts, however long the deadline", async () => {
    let attempts = 0;
    const failure = await withRetries(
      async () => {
        attempts++;
        throw error(TRANSPORT.connectionRefused);
      },
      { kind: "read", budget: Deadline.after(600_000), policy: { baseDelayMs: 5, maxDelayMs: 20, random: () => 1 }, onRetry: () => undefined },
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GaveUpError);
    expect(attempts).toBe(3);
  });
});

describe("scrubbing", () => {
  test("pop-core's message with the signed URL, and SignatureDoesNotMatch's string to sign, lose every secret", () => {
    const url = "http://127.0.0.1:4000/?AccessKeyId=LTAIsecretid&Action=JoinSecurityGroup&SecurityToken=tok%2Fen&Signature=abc%3D&SignatureNonce=n1";
    const thrown = Object.assign(
      new Error(`Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIsecretid, URL: ${url}`),
      {
        code: "SignatureDoesNotMatch",
        data: {
          Code: "SignatureDoesNotMatch",
          Message:
            "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIsecretid%26SecurityToken%3Dtok",
          RequestId: "R-1-2-3-4-5",
        },
      },
    );
    const err = normalizeEcsError("JoinSecurityGroup", thrown, ["LTAIsecretid", "tok/en"], {
      status: 400,
      contentType: "application/json",
    }) as EcsApiError;
    expect(err.code).toBe("SignatureDoesNotMatch");
    expect(err.requestId).toBe("R-1-2-3-4-5");
    expect(err.message).not.toMatch(/LTAIsecretid|tok|Signature=|http/);
  });

  test("any text: secrets in raw and URL-encoded form are removed", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9/+=]{6,24}$/);
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (value, before, after) => {
        fc.pre(!before.includes(value) && !after.includes(value) && before.length + after.length < 200);
        const clean = scrub(`${before}${value}${after} ${encodeURIComponent(value)}`, [value]);
        return !clean.includes(value) && !clean.includes(encodeURIComponent(value));
      }),
    );
  });

  test("an echoed request in Code or RequestId is not taken for ECS's: neither field reaches the error", () => {
    const echo = "POST / AccessKeyId=LTAIsecretid&Signature=abc&SignatureNonce=n-123";
    const thrown = { data: { Code: echo, Message: echo, RequestId: echo } };
    const err = normalizeEcsError("JoinSecurityGroup", thrown, ["LTAIsecretid"], { status: 400, contentType: "application/json" }) as EcsApiError;
    expect(err.code).toBe(TRANSPORT.notEcs);
    expect(err.requestId).toBeUndefined();
    expect(JSON.stringify({ ...err, message: err.message })).not.toMatch(/LTAIsecretid|abc|n-123/);
  });
});

describe("target lock", () => {
  test("work on one target runs one at a time, in arrival order, even when some of it fails; other targets run alongside", async () => {
    const events: string[] = [];
    const work = (key: string, name: string, fail = false) =>
      withTargetLock(key, Deadline.after(10_000), key, async () => {
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

  test("the wait for the lock counts against the deadline, and those queued behind still wait their turn", async () => {
    let releaseFirst!: () => void;
    const first = withTargetLock("i-slow", Deadline.after(10_000), "instance i-slow", () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const impatient = withTargetLock("i-slow", Deadline.after(50), "instance i-slow", async () => "ran").catch((e: Error) => e);
    const patient = withTargetLock("i-slow", Deadline.after(10_000), "instance i-slow", async () => "ran");
    const refused = await impatient;
    expect((refused as Error).message).toMatch(
      /^Waited \d+\.\ds for this run's other changes to instance i-slow and reached the operation's deadline/,
    );
    releaseFirst();
    await first;
    expect(await patient).toBe("ran");
  });
});

describe("check", () => {
  test("the unknown value the core knows is the one the engine and the Pulumi SDK send", () => {
    expect(UNKNOWN_VALUE).toBe(unknownValue);
  });

  test("unknown values during preview pass; the region comes from configuration", () => {
    const { inputs, failures } = checkInputs({ instanceId: UNKNOWN_VALUE, securityGroupId: UNKNOWN_VALUE }, KNOWN);
    expect(failures).toEqual([]);
    expect(inputs.regionId).toBe("cn-hangzhou");
  });

  test("each invalid input is named with its reason", () => {
    const { failures } = checkInputs({ securityGroupId: "group-1", regionId: "Hangzhou", operationTimeoutSeconds: -1, adoptExisting: "yes" }, KNOWN);
    expect(failures.map((f) => f.property).sort()).toEqual(["adoptExisting", "instanceId", "operationTimeoutSeconds", "regionId", "securityGroupId"]);
    expect(failures.find((f) => f.property === "instanceId")!.reason).toMatch(/exactly one of instanceId and networkInterfaceId: neither/);
    expect(checkInputs({ instanceId: "i-abc", securityGroupId: "sg-abc" }, { defaultRegion: undefined, endpointConfigured: false }).failures).toEqual(
      [{ property: "", reason: expect.stringMatching(/^no region: .*alicloud:region.*ALIBABA_CLOUD_REGION_ID/), brief: "no region" }],
    );
  });

  test("a region from configuration is refused naming where it came from, with no property (the engine would show {<nil>})", () => {
    const fromConfig = { defaultRegion: "cn-hangzhuo", defaultRegionSource: "the stack config alicloud:region", endpointConfigured: false };
    expect(checkInputs({ instanceId: "i-abc", securityGroupId: "sg-abc" }, fromConfig).failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(/^regionId from the stack config alicloud:region: cn-hangzhuo: not an ECS region; did you mean cn-hangzhou\?/),
        brief: "regionId from the stack config alicloud:region: cn-hangzhuo: not an ECS region",
      },
    ]);
    expect(checkInputs({ instanceId: "i-abc", securityGroupId: "sg-abc" }, { ...fromConfig, endpointConfigured: true }).warnings).toEqual([
      {
        text: expect.stringMatching(/^regionId from the stack config alicloud:region: cn-hangzhuo: not an ECS region; .* It is used anyway/),
        brief: "regionId from the stack config alicloud:region: cn-hangzhuo: not an ECS region, used anyway with the explicitly configured endpoint",
      },
    ]);
    const settings = resolveSettings(undefined, { ALICLOUD_REGION: "cn-beijing", ALICLOUD_ACCESS_KEY: "AK", ALICLOUD_SECRET_KEY: "S" });
    expect(settings.defaultRegionSource).toBe("the environment (ALIBABA_CLOUD_REGION_ID or ALICLOUD_REGION)");
    // The credentials' source, by the names they were read from (what a refused signature's hint names).
    expect(settings.credentials.description).toBe("the environment variables ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY");
  });

  test("a region that is not ECS's is refused with the nearest names; an explicit endpoint makes it a warning", () => {
    const typo = { instanceId: "i-abc", securityGroupId: "sg-abc", regionId: "cn-hangzhuo" };
    expect(checkInputs(typo, KNOWN).failures).toEqual([
      { property: "regionId", reason: expect.stringMatching(/^cn-hangzhuo: not an ECS region; did you mean cn-hangzhou\?/) },
    ]);
    const withEndpoint = checkInputs(typo, { ...KNOWN, endpointConfigured: true });
    expect(withEndpoint.failures).toEqual([]);
    // The program's own input: its problem alone, with no brief form for other resources.
    expect(withEndpoint.warnings).toEqual([
      { text: expect.stringMatching(/cn-hangzhuo: not an ECS region; did you mean cn-hangzhou\? It is used anyway/) },
    ]);
    expect(nearestRegions("ap-southeast-9")[0]).toMatch(/^ap-southeast-\d$/);
  });

  test("hostile values: any value gets a failure naming its property, quoting at most a short printable prefix", () => {
    const hostile = fc.oneof(
      fc.string({ minLength: 65, maxLength: 2000 }).map((s) => `i-${s}`),
      fc.constant(Object.create(null) as object),
      fc.constant({
        toString: () => {
          throw new Error("boom");
        },
      }),
      fc.constantFrom(1, true, [] as unknown[], ["i-abc"], -0, Number.NaN),
      fc.string({ maxLength: 30 }).map((s) => `i-ab\u0000\u001b[31m${s}`),
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, (instanceId, securityGroupId, regionId) => {
        const { failures } = checkInputs({ instanceId, securityGroupId, regionId }, KNOWN);
        const properties = failures.map((f) => f.property);
        return (
          ["instanceId", "securityGroupId", "regionId"].every((p) => properties.includes(p)) &&
          failures.every((f) => f.reason.length < 300 && !/\p{Cc}/u.test(f.reason))
        );
      }),
    );
  });

  test("an ID longer than ECS allows fails even when well-formed, and a 1 MiB value is not echoed back", () => {
    const huge = `i-${"a".repeat(1 << 20)}`;
    const [failure] = checkInputs({ instanceId: huge, securityGroupId: "sg-abc" }, KNOWN).failures;
    expect(failure).toEqual({ property: "instanceId", reason: expect.stringMatching(/longer than 64 characters/) });
    expect(failure!.reason.length).toBeLessThan(200);
  });
});
