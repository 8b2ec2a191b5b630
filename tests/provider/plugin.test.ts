/**
 * The provider through @pulumi/pulumi's real dynamic-provider plugin process, driven over gRPC the way the engine
 * drives it, with the `__provider` every SecurityGroupMembership stores: credentials reach the plugin only through
 * Configure and the environment, and never appear in `__provider`, the returned state or errors.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SERIALIZED_PROVIDER } from "../../provider/pulumi/serialized-provider";
import { startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { REPO_ROOT } from "../../testing/pulumi-cli";
import { startFakeEngine, startPlugin, type FakeEngine, type PluginClient } from "./plugin-harness";
import { ALL_SECRETS, expectNoSecrets, groupsOf, stackConfig } from "./support";
import { eventually } from "../../testing/wait";

const URN = "urn:pulumi:test::sgm::pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership::web-in-ops";
const DIFF_NONE = 1;
const DIFF_SOME = 2;
/** Credentials in the environment of the plugin; none may reach the state. */
const LOCAL_SECRETS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI5tSerializeProbe1",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "serialize-probe-secret-1",
  ALIBABA_CLOUD_SECURITY_TOKEN: "serialize-probe-token-1",
};

let emulator: TestEmulator;
let engine: FakeEngine;
const serialized = SERIALIZED_PROVIDER;
const plugins: PluginClient[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator();
  engine = await startFakeEngine();
  Object.assign(process.env, LOCAL_SECRETS);
});

afterAll(async () => {
  for (const key of Object.keys(LOCAL_SECRETS)) delete process.env[key];
  await Promise.all(plugins.map((p) => p.close()));
  await engine.close();
  await emulator.close();
});

async function plugin(env: Record<string, string | undefined> = {}): Promise<PluginClient> {
  const started = await startPlugin(engine, env, URN);
  plugins.push(started);
  return started;
}

function props(fields: Record<string, unknown>): Record<string, unknown> {
  return { __provider: serialized, __urn: URN, securityGroupId: IDS.sgOps, ...fields };
}

function expectNoCredentialsIn(text: string): void {
  for (const secret of [...ALL_SECRETS, ...Object.values(LOCAL_SECRETS)]) expect(text).not.toContain(secret);
}

describe("the serialized provider", () => {
  test("is a few hundred bytes that hold no credential, token or configuration value", () => {
    expect(Buffer.byteLength(serialized)).toBeLessThanOrEqual(1536);
    expectNoCredentialsIn(serialized);
    expect(serialized).not.toContain(emulator.url);
  });

  test("loads the package by name in a fresh process: a provider with every lifecycle method", () => {
    const script = `
      const Module = require("module");
      const m = new Module("provider.js");
      m.paths = Module._nodeModulePaths(process.cwd());
      m._compile(require("fs").readFileSync(0, "utf8"), "provider.js");
      const p = m.exports.handler();
      console.log(JSON.stringify(["configure", "check", "diff", "create", "read", "update", "delete"].map((k) => typeof p[k])));`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, input: serialized, encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(Array(7).fill("function"));
  });
});

describe("through the dynamic-provider plugin", () => {
  test("Configure, Check, Create, Read, Diff, Update after drift, Delete", async () => {
    const p = await plugin();
    await p.configure(stackConfig(emulator.url));
    const checked = await p.check({}, props({ instanceId: IDS.running }));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ instanceId: IDS.running, regionId: REGION });

    const created = await p.create(checked.inputs);
    expect(created.id).toBe(`${IDS.running}:${IDS.sgOps}`);
    expect(created.properties.securityGroupIds).toEqual([IDS.sgWeb, IDS.sgOps]);
    expect(await groupsOf(emulator, IDS.running)).toContain(IDS.sgOps);
    expectNoCredentialsIn(JSON.stringify(created.properties));

    const read = await p.read(created.id, created.properties);
    expect(read.id).toBe(created.id);
    expect(read.properties).toMatchObject({ securityGroupId: IDS.sgOps, __provider: serialized });
    expect((await p.diff(created.id, created.properties, checked.inputs)).changes).toBe(DIFF_NONE);

    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] } });
    // Within 2 s of the last read, a diff may use the state it saw; after that it sees the drift.
    const drift = () => p.diff(created.id, created.properties, checked.inputs);
    await eventually("the diff to see the drift", async () => (await drift()).changes === DIFF_SOME);
    expect(await drift()).toEqual({ changes: DIFF_SOME, replaces: [] });
    const updated = await p.update(created.id, created.properties, checked.inputs);
    expect(updated.securityGroupIds).toEqual([IDS.sgWeb, IDS.sgOps]);

    const replaced = await p.diff(created.id, created.properties, { ...checked.inputs, securityGroupId: IDS.sgDb });
    expect(replaced).toEqual({ changes: DIFF_SOME, replaces: ["securityGroupId"] });

    await p.delete(created.id, updated);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
    expect((await p.read(created.id, updated)).id).toBe("");
  });

  test("Check failures name the property; errors carry ECS's code, RequestId and guidance but no secret, and are not echoed", async () => {
    const p = await plugin();
    await p.configure(stackConfig(emulator.url, KEYS.sts));
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] } });
    const bad = await p.check({}, props({ instanceId: IDS.running, networkInterfaceId: IDS.eni }));
    expect(bad.failures.map((f) => f.property)).toEqual(["instanceId", "networkInterfaceId"]);

    const inputs = (await p.check({}, props({ instanceId: IDS.running, securityGroupId: IDS.sgWeb, adoptExisting: true }))).inputs;
    const adopted = await p.create(inputs);
    const err = await p.delete(adopted.id, adopted.properties).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/InstanceLastSecurityGroup: .*\(RequestId: [0-9A-F-]+\)\..*retainOnDelete/);
    expectNoSecrets(err!.message);
    expectNoCredentialsIn(p.output());
    // The engine shows the plugin's stderr against the stack: an echo there would be a second copy of the error.
    expect(p.output()).not.toMatch(/InstanceLastSecurityGroup|MembershipError/);
  });

  test("credentials and endpoint from the environment; waits and retries logged against the resource", async () => {
    const p = await plugin({
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEYS.full.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEYS.full.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: undefined,
      ALIBABA_CLOUD_REGION_ID: REGION,
      ALIBABA_CLOUD_ECS_ENDPOINT: emulator.url,
    });
    await p.configure({});
    const inputs = (await p.check({}, props({ instanceId: IDS.pending }))).inputs;
    expect(inputs.regionId).toBe(REGION);
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "throttling", times: 1 }]);
    // Made Pending last, just before the create, so that even a loaded machine's create still finds it Pending.
    await emulator.patch({
      settings: { statusDelaysMs: { pendingToRunning: 3000 } },
      upsert: { instances: [{ instanceId: IDS.pending, status: "Pending" }] },
    });
    await p.create(inputs);
    await emulator.clearFaults();
    expect(await groupsOf(emulator, IDS.pending)).toContain(IDS.sgOps);
    const logged = (pattern: RegExp) => async () => engine.logs.some((l) => l.urn === URN && pattern.test(l.message));
    await eventually(
      "a wait message",
      logged(/waiting for instance i-bp1pending to be Running or Stopped \(now Pending; check 1, \d+\.\ds elapsed\)/),
    );
    await eventually("a retry message", logged(/JoinSecurityGroup for instance i-bp1pending: .*Throttling: .*; retry 1 in \d+ms/));
  });

  test("no credentials anywhere: check's preflight fails with a clear error naming every option and the off switch; without it, create says the same", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "sgm-home-"));
    const noCredentials = {
      ...Object.fromEntries(Object.keys(LOCAL_SECRETS).map((k) => [k, undefined])),
      HOME: home,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
    };
    const config = { "alicloud-sg-membership:ecsEndpoint": emulator.url, "alicloud:region": REGION };
    const everyOption =
      /No Alibaba Cloud credentials found: .*alicloud:accessKey.*alicloud:secretKey.*ALIBABA_CLOUD_ACCESS_KEY_ID.*ALICLOUD_ACCESS_KEY.*credential chain/;
    const p = await plugin(noCredentials);
    await p.configure(config);
    const refused = await p.check({}, props({ instanceId: IDS.running })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(refused?.message).toMatch(everyOption);
    expect(refused?.message).toMatch(/set alicloud-sg-membership:preflight \(or ALIBABA_CLOUD_ECS_PREFLIGHT\) to false/);

    const unchecked = await plugin({ ...noCredentials, ALIBABA_CLOUD_ECS_PREFLIGHT: "false" });
    await unchecked.configure(config);
    const inputs = (await unchecked.check({}, props({ instanceId: IDS.running }))).inputs;
    const err = await unchecked.create(inputs).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(everyOption);
  });
});
