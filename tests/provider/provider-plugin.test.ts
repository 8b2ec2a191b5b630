/**
 * The provider plugin (bin/pulumi-resource-alicloud-sg-membership.js) as the engine drives it over gRPC: the handshake,
 * its schema, configuration through Configure and the environment, the lifecycle against the emulator, import by ID,
 * customTimeouts, preview's unknowns, Cancel, and its exit when the engine is gone. No credential in any response.
 */
import { spawn } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { QUOTA_WINDOW_ENV } from "../../provider/calls/account-quota";
import { UNKNOWN_VALUE } from "../../provider/membership/inputs";
import { startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { REPO_ROOT } from "../../testing/pulumi-cli";
import { eventually } from "../../testing/wait";
import { startFakeEngine, type FakeEngine } from "./plugin-harness";
import {
  CallError,
  PLUGIN_BIN,
  TOKEN,
  checkRequest,
  configureRequest,
  connect,
  createRequest,
  deleteRequest,
  diffRequest,
  plain,
  readRequest,
  startProviderPlugin,
  updateRequest,
  urnOf,
  type ProviderPlugin,
  type Props,
} from "./provider-plugin-harness";
import { ALL_SECRETS, groupsOf } from "./support";

const Kind = provproto.PropertyDiff.Kind;
const DIFF_NONE = provproto.DiffResponse.DiffChanges.DIFF_NONE;
const DIFF_SOME = provproto.DiffResponse.DiffChanges.DIFF_SOME;
/** Credentials in the plugin's environment in some tests; none may reach a response. */
const ENV_KEY = { ALIBABA_CLOUD_ACCESS_KEY_ID: KEYS.full.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEYS.full.accessKeySecret };
const ID = `${IDS.running}:${IDS.sgOps}`;

let emulator: TestEmulator;
let engine: FakeEngine;
const plugins: ProviderPlugin[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator();
  engine = await startFakeEngine();
});

afterAll(async () => {
  await Promise.all(plugins.map((p) => p.close()));
  await engine.close();
  await emulator.close();
});

beforeEach(async () => {
  await emulator.clearFaults();
  await emulator.patch({
    upsert: {
      instances: [
        { instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] },
        { instanceId: IDS.pending, status: "Pending", securityGroupIds: [IDS.sgWeb, IDS.sgDb], transitionEndsAt: null },
      ],
    },
  });
  await emulator.resetStats();
});

function pluginConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { region: REGION, ecsEndpoint: emulator.url, accessKey: KEYS.full.accessKeyId, secretKey: KEYS.full.accessKeySecret, ...extra };
}

async function plugin(env: Record<string, string | undefined> = {}): Promise<ProviderPlugin> {
  const started = await startProviderPlugin(engine, { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined, ...env });
  plugins.push(started);
  return started;
}

async function configured(config: Record<string, string | boolean> = pluginConfig()): Promise<ProviderPlugin> {
  const p = await plugin();
  await p.call("configure", configureRequest(config));
  return p;
}

async function failure(promise: Promise<unknown>): Promise<CallError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CallError) return err;
    throw err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

async function check(p: ProviderPlugin, news: Props) {
  const res = await p.call<provproto.CheckResponse>("check", checkRequest(news));
  return { inputs: plain(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
}

async function diff(p: ProviderPlugin, olds: Props, news: Props) {
  const res = await p.call<provproto.DiffResponse>("diff", diffRequest(ID, olds, news));
  const detailed: Record<string, number> = {};
  res.getDetaileddiffMap().forEach((value, key) => (detailed[key] = value.getKind()));
  return { changes: res.getChanges(), replaces: res.getReplacesList(), detailed };
}

async function create(p: ProviderPlugin, props: Props, timeoutSeconds = 0) {
  const res = await p.call<provproto.CreateResponse>("create", createRequest(props, timeoutSeconds));
  return { id: res.getId(), properties: plain(res.getProperties()) };
}

async function read(p: ProviderPlugin, id: string, props?: Props) {
  const res = await p.call<provproto.ReadResponse>("read", readRequest(id, props));
  return { id: res.getId(), properties: plain(res.getProperties()), inputs: res.hasInputs() ? plain(res.getInputs()) : undefined };
}

function expectNoCredentials(text: string): void {
  for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
}

async function ecsCalls(): Promise<number> {
  const stats = await emulator.stats();
  return Object.values(stats.actions).reduce((sum, n) => sum + n, 0);
}

const membership = (fields: Props = {}): Props => ({ instanceId: IDS.running, securityGroupId: IDS.sgOps, ...fields });

describe("the handshake and the package", () => {
  test("prints its port, answers GetPluginInfo with the package version, and its schema describes every property", async () => {
    const p = await plugin();
    const info = await p.call<plugproto.PluginInfo>("getPluginInfo", new Empty());
    expect(info.getVersion()).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version);
    const res = await p.call<provproto.GetSchemaResponse>("getSchema", new provproto.GetSchemaRequest());
    const schema = JSON.parse(res.getSchema());
    expect(schema.name).toBe("alicloud-sg-membership");
    const resource = schema.resources[TOKEN];
    for (const property of Object.values({ ...resource.inputProperties, ...resource.properties }) as { description: string }[]) {
      expect(property.description).toMatch(/^[A-Z].+\.$/);
    }
    expect(Object.keys(resource.inputProperties)).not.toContain("__provider");
    expect(schema.config.variables.secretKey.secret).toBe(true);
    expect(schema.config.variables.securityToken.secret).toBe(true);
    const hs = await p.call<provproto.ProviderHandshakeResponse>(
      "handshake",
      new provproto.ProviderHandshakeRequest().setEngineAddress(engine.address),
    );
    expect(hs.getAcceptSecrets()).toBe(false);
  });

  test("CheckConfig names a key the plugin does not know", async () => {
    const p = await plugin();
    const res = await p.call<provproto.CheckResponse>(
      "checkConfig",
      checkRequest({ region: REGION, acessKey: "x" }, "urn:pulumi:test::p::pulumi:providers:alicloud-sg-membership::default"),
    );
    expect(res.getFailuresList().map((f) => f.getProperty())).toEqual(["acessKey"]);
  });
});

describe("the lifecycle against the emulator", () => {
  test("Configure, Check, Create, Read, Diff, drift, Update, replace, Delete, Read gone", async () => {
    const p = await configured();
    const checked = await check(p, membership());
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toEqual({ ...membership(), regionId: REGION });

    const created = await create(p, checked.inputs);
    expect(created.id).toBe(ID);
    expect(created.properties).toEqual({ ...checked.inputs, securityGroupIds: [IDS.sgWeb, IDS.sgOps] });
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);

    expect(await read(p, ID, created.properties)).toMatchObject({ id: ID, properties: created.properties });
    expect(await diff(p, created.properties, checked.inputs)).toEqual({ changes: DIFF_NONE, replaces: [], detailed: {} });

    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] } });
    await eventually("the diff to see the drift", async () => (await diff(p, created.properties, checked.inputs)).changes === DIFF_SOME);
    expect(await diff(p, created.properties, checked.inputs)).toEqual({
      changes: DIFF_SOME,
      replaces: [],
      detailed: { securityGroupIds: Kind.UPDATE },
    });
    const updated = await p.call<provproto.UpdateResponse>("update", updateRequest(ID, created.properties, checked.inputs));
    expect(plain(updated.getProperties()).securityGroupIds).toEqual([IDS.sgWeb, IDS.sgOps]);

    const replaced = await diff(p, created.properties, { ...checked.inputs, securityGroupId: IDS.sgDb, operationTimeoutSeconds: 30 });
    expect(replaced).toEqual({
      changes: DIFF_SOME,
      replaces: ["securityGroupId"],
      detailed: { securityGroupId: Kind.UPDATE_REPLACE, operationTimeoutSeconds: Kind.UPDATE },
    });

    await p.call("delete", deleteRequest(ID, created.properties));
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
    expect((await read(p, ID, created.properties)).id).toBe("");
    // Progress (the drift) was logged against the resource.
    expect(engine.logs.some((l) => l.urn === urnOf("m") && /drift/.test(l.message))).toBe(true);
  });

  test("the environment's key pair is used when Configure gives none, and no credential reaches a response or the log", async () => {
    const p = await plugin(ENV_KEY);
    await p.call("configure", configureRequest({ region: REGION, endpoint: emulator.url }));
    const created = await create(p, { ...membership(), regionId: REGION });
    expect(created.id).toBe(ID);
    await p.call("delete", deleteRequest(ID, created.properties));
    expectNoCredentials(JSON.stringify(created) + JSON.stringify(engine.logs) + p.output());
  });

  test("a half key pair in the config fails Configure, naming the plugin's key and no secret", async () => {
    const p = await plugin();
    const err = await failure(p.call("configure", configureRequest({ region: REGION, accessKey: KEYS.full.accessKeyId })));
    expect(err.details).toMatch(/alicloud-sg-membership:secretKey is not set/);
    expectNoCredentials(err.details);
  });

  test("the account's quota is configuration: a stated one is kept to, one that makes no sense fails Configure naming the key", async () => {
    const p = await plugin();
    const checked = await p.call<provproto.CheckResponse>(
      "checkConfig",
      checkRequest(
        pluginConfig({ apiQuota: "JoinSecurityGroup=1", apiQuotaReserve: "0" }),
        "urn:pulumi:test::p::pulumi:providers:alicloud-sg-membership::q",
      ),
    );
    expect(checked.getFailuresList()).toEqual([]);
    const err = await failure(p.call("configure", configureRequest(pluginConfig({ apiQuota: "JoinSecurityGroup=0" }))));
    expect(err.details).toMatch(/alicloud-sg-membership:apiQuota: JoinSecurityGroup=0: calls per minute must be a whole number of at least 1/);

    await emulator.setFlowControl({ flowControl: { JoinSecurityGroup: 1 }, flowControlWindowMs: 3_000 });
    try {
      const stated = await plugin({ [QUOTA_WINDOW_ENV]: "3000" });
      await stated.call("configure", configureRequest(pluginConfig({ apiQuota: "JoinSecurityGroup=1" })));
      await Promise.all([membership(), membership({ securityGroupId: IDS.sgDb })].map((m) => create(stated, { ...m, regionId: REGION }, 60)));
      expect((await groupsOf(emulator, IDS.running))?.sort()).toEqual([IDS.sgWeb, IDS.sgDb, IDS.sgOps].sort());
      expect((await emulator.stats()).refused).toEqual({});
    } finally {
      await emulator.setFlowControl({ flowControl: {} });
    }
  });

  test("ECS's refusal of a wrong key is an error with ECS's code and no secret", async () => {
    const p = await configured(pluginConfig({ secretKey: "wrong-secret-value" }));
    const err = await failure(create(p, { ...membership(), regionId: REGION }));
    expect(err.details).toMatch(/SignatureDoesNotMatch|InvalidAccessKey/);
    expect(err.details).not.toContain("wrong-secret-value");
    expectNoCredentials(err.details);
  });
});

describe("the preflight read: one a run, endpoint, region and credentials, at the first check", () => {
  test("a refused secret fails every check before any change: in full once, naming the keys in use, briefly for the others, no secret", async () => {
    const p = await configured(pluginConfig({ secretKey: "wrong-secret-value" }));
    const errors = await Promise.all([membership(), membership({ securityGroupId: IDS.sgDb })].map((m) => failure(check(p, m))));
    const subject = `The preflight check of the ECS endpoint and credentials \\(DescribeInstances in ${REGION}, before any change\\) failed: SignatureDoesNotMatch`;
    const full = new RegExp(
      `^${subject}: .*\\(RequestId: [0-9A-F-]+\\)\\. Check the credentials in use, from the stack config alicloud-sg-membership:accessKey / alicloud-sg-membership:secretKey .*set alicloud-sg-membership:preflight \\(or ALIBABA_CLOUD_ECS_PREFLIGHT\\) to false`,
    );
    const brief = new RegExp(
      `^${subject} at http://127\\.0\\.0\\.1:\\d+ \\(from the stack config alicloud-sg-membership:ecsEndpoint\\), as explained in full`,
    );
    expect(errors.filter((err) => full.test(err.details))).toHaveLength(1);
    expect(errors.filter((err) => brief.test(err.details))).toHaveLength(1);
    for (const err of errors) expectNoCredentials(err.details);
    expect(errors.map((err) => err.details).join("\n")).not.toContain("wrong-secret-value");
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 1 });
  });

  test("preflight false, as stack config text or an explicit provider's boolean: checks pass without ECS; any other value is named", async () => {
    for (const off of ["false", false]) {
      const p = await configured({ ...pluginConfig({ secretKey: "wrong-secret-value" }), preflight: off });
      expect((await check(p, membership())).failures).toEqual([]);
    }
    expect(await ecsCalls()).toBe(0);
    const p = await plugin();
    const checked = await p.call<provproto.CheckResponse>(
      "checkConfig",
      checkRequest({ ...pluginConfig(), preflight: 0 }, urnOf("q", "pulumi:providers:alicloud-sg-membership")),
    );
    expect(checked.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([["preflight", "must be a boolean"]]);
    const err = await failure(p.call("configure", configureRequest(pluginConfig({ preflight: "no" }))));
    expect(err.details).toBe('the stack config alicloud-sg-membership:preflight: "no" is not true or false');
  });
});

describe("requests refused before any ECS call", () => {
  test("Check failures name the property: both targets, a malformed ID, an unknown property", async () => {
    const p = await configured();
    const res = await check(p, { ...membership(), networkInterfaceId: IDS.eni, securityGroupId: "not-a-group", instanceID: "i-typo" });
    expect(res.failures.map((f) => f.property).sort()).toEqual(["instanceID", "instanceId", "networkInterfaceId", "securityGroupId"]);
    expect(await ecsCalls()).toBe(0);
  });

  test("a wrong type token is refused by every resource method", async () => {
    const p = await configured();
    const wrong = urnOf("m", "alicloud:ecs:Instance");
    for (const [method, request] of [
      ["check", checkRequest(membership(), wrong)],
      ["create", createRequest({ ...membership(), regionId: REGION }, 0, wrong)],
      ["read", readRequest(ID, undefined, wrong)],
      ["delete", deleteRequest(ID, { ...membership(), regionId: REGION }, 0, wrong)],
    ] as const) {
      const err = await failure(p.call(method, request));
      expect(err.details).toMatch(
        /unknown resource type "alicloud:ecs:Instance": this plugin serves only alicloud-sg-membership:index:SecurityGroupMembership/,
      );
    }
    expect(await ecsCalls()).toBe(0);
  });

  test("malformed state handed to Create or Delete is refused with every failure named", async () => {
    const p = await configured();
    const err = await failure(p.call("delete", deleteRequest(ID, { instanceId: 42, securityGroupId: IDS.sgOps, regionId: REGION })));
    expect(err.details).toMatch(/Invalid SecurityGroupMembership: instanceId: must be a string/);
    expect(await ecsCalls()).toBe(0);
  });
});

describe("preview's unknowns", () => {
  test("Check and Diff take unknown values without failing, and ask ECS nothing but the run's one preflight read", async () => {
    const p = await configured();
    const checked = await check(p, {
      ...membership(),
      instanceId: UNKNOWN_VALUE,
      adoptExisting: UNKNOWN_VALUE,
      operationTimeoutSeconds: UNKNOWN_VALUE,
    });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ instanceId: UNKNOWN_VALUE, adoptExisting: UNKNOWN_VALUE, regionId: REGION });
    const olds = { ...membership(), regionId: REGION, securityGroupIds: [IDS.sgWeb, IDS.sgOps] };
    expect(await diff(p, olds, { ...membership(), regionId: REGION, instanceId: UNKNOWN_VALUE })).toMatchObject({
      changes: DIFF_SOME,
      replaces: ["instanceId"],
    });
    expect((await emulator.stats()).actions).toEqual({ DescribeInstances: 1 });
    await create(p, { ...membership(), regionId: REGION });
    const setting = await diff(p, olds, { ...membership(), regionId: REGION, operationTimeoutSeconds: UNKNOWN_VALUE });
    expect(setting).toEqual({ changes: DIFF_SOME, replaces: [], detailed: { operationTimeoutSeconds: Kind.UPDATE } });
  });

  test("a preview's Create and Update (the engine sends them) reach no ECS and leave the groups unknown", async () => {
    const p = await configured();
    const props = { ...membership(), regionId: REGION };
    const created = await p.call<provproto.CreateResponse>("create", createRequest(props).setPreview(true));
    expect({ id: created.getId(), properties: plain(created.getProperties()) }).toEqual({
      id: "",
      properties: { ...props, securityGroupIds: UNKNOWN_VALUE },
    });
    const updated = await p.call<provproto.UpdateResponse>("update", updateRequest(ID, props, props).setPreview(true));
    expect(plain(updated.getProperties())).toEqual({ ...props, securityGroupIds: UNKNOWN_VALUE });
    expect(await ecsCalls()).toBe(0);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });
});

describe("import by ID", () => {
  test("Read with the ID alone returns the live membership and its inputs", async () => {
    const p = await configured();
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb, IDS.sgOps] }] } });
    const imported = await read(p, ID);
    expect(imported).toEqual({
      id: ID,
      properties: { instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION, securityGroupIds: [IDS.sgWeb, IDS.sgOps] },
      inputs: { instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION },
    });
    const eni = await read(p, `${IDS.eni}:${IDS.sgDb}`);
    expect(eni.properties).toMatchObject({ networkInterfaceId: IDS.eni, securityGroupId: IDS.sgDb });
  });

  test("a membership that does not exist, or an ID that is not one, fails clearly", async () => {
    const p = await configured();
    expect((await failure(read(p, ID))).details).toMatch(`cannot import ${ID}: it does not exist`);
    expect((await failure(read(p, "sg-bp1ops"))).details).toMatch(
      /the ID of a SecurityGroupMembership is <instanceId or networkInterfaceId>:<securityGroupId>/,
    );
  });
});

describe("customTimeouts and writes left open", () => {
  test("Create's timeout bounds the wait for a target that never settles", async () => {
    const p = await configured();
    const err = await failure(create(p, { instanceId: IDS.pending, securityGroupId: IDS.sgOps, regionId: REGION }, 2));
    // The 2 s of customTimeouts are the deadline the failure names, not operationTimeoutSeconds' 600.
    expect(err.details).toMatch(/is still Pending after .*\(now 2s\)/);
  });

  test("a Join whose outcome stays unknown fails as created-but-unconfirmed: the engine keeps its ID and state", async () => {
    const p = await configured();
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout" }]);
    const err = await failure(create(p, { ...membership(), regionId: REGION }, 2));
    expect(err.initFailed).toEqual({
      id: ID,
      properties: { ...membership(), regionId: REGION, securityGroupIds: [] },
      reasons: [err.details],
    });
    expect(err.details).toMatch(/the membership is kept in the stack/);
  });
});

describe("Cancel, parallel requests and the end of the engine", () => {
  test("parallel creates on different targets all succeed", async () => {
    const p = await configured();
    const targets = [
      { instanceId: IDS.running, securityGroupId: IDS.sgOps },
      { instanceId: IDS.stopped, securityGroupId: IDS.sgOps },
      { networkInterfaceId: IDS.eni, securityGroupId: IDS.sgOps },
    ];
    const results = await Promise.all(targets.map((t) => create(p, { ...t, regionId: REGION })));
    expect(results.map((r) => r.id).sort()).toEqual([ID, `${IDS.stopped}:${IDS.sgOps}`, `${IDS.eni}:${IDS.sgOps}`].sort());
    await Promise.all(results.map((r) => p.call("delete", deleteRequest(r.id, r.properties))));
  });

  test("after Cancel, work in flight finishes and new work is refused", async () => {
    const p = await configured();
    const inFlight = create(p, { instanceId: IDS.pending, securityGroupId: IDS.sgOps, regionId: REGION }, 60);
    await eventually("the create to poll the pending instance", async () => ((await emulator.stats()).actions.DescribeInstances ?? 0) > 0);
    await p.call("cancel", new Empty());
    const refused = await failure(check(p, membership()));
    expect(refused.details).toMatch(/Check not started: the engine cancelled this run/);
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.pending, status: "Running", transitionEndsAt: null }] } });
    expect((await inFlight).id).toBe(`${IDS.pending}:${IDS.sgOps}`);
  });

  test.each(["SIGINT", "SIGTERM"] as const)(
    "%s (how the engine closes a plugin) ends it with exit code 0 while the engine is still there",
    async (signal) => {
      // The engine waits 5 s for a plugin to exit before it kills it: a plugin that only stopped taking work would make
      // every run wait that long. Here the parent (this test, in the engine's place) stays, so the exit is the signal's doing.
      const p = await plugin();
      p.child.kill(signal);
      expect(await p.exited).toBe(0);
    },
  );

  test("SIGINT lets a write in flight finish before the plugin exits", async () => {
    const p = await configured();
    const inFlight = create(p, { instanceId: IDS.pending, securityGroupId: IDS.sgOps, regionId: REGION }, 60);
    await eventually("the create to poll the pending instance", async () => ((await emulator.stats()).actions.DescribeInstances ?? 0) > 0);
    p.child.kill("SIGINT");
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.pending, status: "Running", transitionEndsAt: null }] } });
    expect((await inFlight).id).toBe(`${IDS.pending}:${IDS.sgOps}`);
    expect(await p.exited).toBe(0);
  });

  test("SIGINT, the end of a run: what the account's quota cost is told to the engine once, with ECS's counts", async () => {
    // One Join a 3 s window for the account: of three Joins sent within a second, one at least is refused.
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.stopped, securityGroupIds: [IDS.sgWeb, IDS.sgDb] }] } });
    await emulator.setFlowControl({ flowControl: { JoinSecurityGroup: 1 }, flowControlWindowMs: 3_000 });
    try {
      const p = await plugin({ [QUOTA_WINDOW_ENV]: "3000" });
      await p.call("configure", configureRequest(pluginConfig()));
      await Promise.all(
        [membership(), membership({ securityGroupId: IDS.sgDb }), membership({ instanceId: IDS.stopped })].map((m) =>
          create(p, { ...m, regionId: REGION }, 60),
        ),
      );
      const stats = await emulator.stats();
      expect(stats.refused.JoinSecurityGroup).toBeGreaterThan(0);
      p.child.kill("SIGINT");
      expect(await p.exited).toBe(0);
      const summaries = engine.logs.filter((l) => l.message.startsWith("throttled by the account's"));
      expect(summaries.map((l) => l.message)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^throttled by the account's JoinSecurityGroup quota in ${REGION}: ${stats.refused.JoinSecurityGroup} calls refused, ` +
              `\\d+ s waiting for the next window, ${stats.actions.JoinSecurityGroup} calls made$`,
          ),
        ),
      ]);
    } finally {
      await emulator.setFlowControl({ flowControl: {} });
    }
  });

  test("exits within seconds when its parent (the engine) is killed", async () => {
    // A parent that starts the plugin, passes its output through, then is killed without a chance to clean up.
    const parentScript = `
      const { spawn } = require("child_process");
      const child = spawn(process.execPath, [${JSON.stringify(PLUGIN_BIN)}, ${JSON.stringify(engine.address)}], { stdio: ["ignore", "pipe", "inherit"] });
      child.stdout.once("data", (d) => process.stdout.write(d.toString().trim() + "\\n" + "pid " + child.pid + "\\n"));`;
    const parent = spawn(process.execPath, ["-e", parentScript], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    parent.stdout!.on("data", (chunk) => (text += chunk));
    const connected = await connect(parent, () => text);
    await eventually("the plugin's pid", async () => /pid \d+/.test(text));
    const pid = Number(/pid (\d+)/.exec(text)![1]);
    await connected.call("getPluginInfo", new Empty());
    parent.kill("SIGKILL");
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await eventually("the orphaned plugin to exit", async () => !alive(), 5_000);
  });
});
