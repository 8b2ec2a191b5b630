/**
 * One behaviour suite over both faces of the one lifecycle, each through its real process over gRPC as the engine
 * drives it: the dynamic resource (@pulumi/pulumi's dynamic-provider plugin loading `__provider`) and the provider
 * plugin (`pulumi-resource-alicloud-sg-membership`). Every lifecycle rule the README documents runs on each face and
 * must give the same IDs, outputs, failures and messages: the faces only translate. Each face has one emulator and one
 * process for the whole suite; the world is put back after each test.
 */
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { SERIALIZED_PROVIDER } from "../../provider/pulumi/serialized-provider";
import { defaultSeed, IDS, KEYS, REGION } from "../../testing/default-world";
import { startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { eventually } from "../../testing/wait";
import { startFakeEngine, startPlugin, type FakeEngine } from "./plugin-harness";
import {
  checkRequest,
  configureRequest,
  createRequest,
  deleteRequest,
  diffRequest,
  plain,
  readRequest,
  startProviderPlugin,
  updateRequest,
  type Props,
} from "./provider-plugin-harness";
import { expectNoSecrets, groupsOf, stackConfig } from "./support";

const DYNAMIC_URN = "urn:pulumi:test::sgm::pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership::m";

/** The lifecycle as either face serves it, in the dynamic provider's terms. */
interface Face {
  check(news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  /** `deadlineSeconds`: the face's own way to bound an operation (operationTimeoutSeconds, or customTimeouts). */
  create(inputs: Props, deadlineSeconds?: number): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[] }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, props: Props): Promise<void>;
  /** Everything the process printed. */
  output(): string;
  close(): Promise<void>;
}

/** The dynamic resource: what its program stores with each membership goes with every request. */
async function dynamicFace(engine: FakeEngine, emulator: TestEmulator): Promise<Face> {
  const plugin = await startPlugin(engine, {}, DYNAMIC_URN);
  await plugin.configure(stackConfig(emulator.url, KEYS.sts));
  const stored = (props: Props) => ({ ...props, __provider: SERIALIZED_PROVIDER, __urn: DYNAMIC_URN });
  return {
    check: (news) => plugin.check({}, stored(news)),
    create: async (inputs, deadlineSeconds) => {
      const { id, properties } = await plugin.create(stored(deadlineSeconds ? { ...inputs, operationTimeoutSeconds: deadlineSeconds } : inputs));
      return { id, outs: properties };
    },
    read: async (id, props) => {
      const { id: readId, properties } = await plugin.read(id, stored(props));
      return { id: readId, props: properties };
    },
    diff: async (id, olds, news) => {
      const { changes, replaces } = await plugin.diff(id, stored(olds), stored(news));
      return { changes: changes === provproto.DiffResponse.DiffChanges.DIFF_SOME, replaces };
    },
    update: (id, olds, news) => plugin.update(id, stored(olds), stored(news)),
    delete: (id, props) => plugin.delete(id, stored(props)),
    output: () => plugin.output(),
    close: () => plugin.close(),
  };
}

/** The provider plugin: deadlines come as the request's timeout (the resource's customTimeouts). */
async function pluginFace(engine: FakeEngine, emulator: TestEmulator): Promise<Face> {
  const plugin = await startProviderPlugin(engine);
  const { accessKeyId, accessKeySecret, securityToken } = KEYS.sts;
  await plugin.call(
    "configure",
    configureRequest({ region: REGION, ecsEndpoint: emulator.url, accessKey: accessKeyId, secretKey: accessKeySecret, securityToken }),
  );
  return {
    check: async (news) => {
      const res = await plugin.call<provproto.CheckResponse>("check", checkRequest(news));
      return { inputs: plain(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    create: async (inputs, deadlineSeconds) => {
      const res = await plugin.call<provproto.CreateResponse>("create", createRequest(inputs, deadlineSeconds));
      return { id: res.getId(), outs: plain(res.getProperties()) };
    },
    read: async (id, props) => {
      const res = await plugin.call<provproto.ReadResponse>("read", readRequest(id, props));
      return { id: res.getId(), props: plain(res.getProperties()) };
    },
    diff: async (id, olds, news) => {
      const res = await plugin.call<provproto.DiffResponse>("diff", diffRequest(id, olds, news));
      return { changes: res.getChanges() === provproto.DiffResponse.DiffChanges.DIFF_SOME, replaces: res.getReplacesList() };
    },
    update: async (id, olds, news) => plain((await plugin.call<provproto.UpdateResponse>("update", updateRequest(id, olds, news))).getProperties()),
    delete: async (id, props) => void (await plugin.call("delete", deleteRequest(id, props))),
    output: () => plugin.output(),
    close: () => plugin.close(),
  };
}

const FACES: [string, typeof dynamicFace][] = [
  ["the dynamic resource", dynamicFace],
  ["the provider plugin", pluginFace],
];

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const message = (err as Error).message;
    expectNoSecrets(message);
    return message;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

const REQUEST_ID = /\(RequestId: [0-9A-F-]{36}\)/;

/** Outputs without what only the dynamic resource keeps (`__provider`, `__urn`). */
const common = (props: Props) => Object.fromEntries(Object.entries(props).filter(([key]) => !key.startsWith("__")));
const ops = (fields: Props = {}): Props => ({ instanceId: IDS.running, securityGroupId: IDS.sgOps, regionId: REGION, ...fields });

let engine: FakeEngine;

beforeAll(async () => {
  engine = await startFakeEngine();
});
afterAll(() => engine.close());

describe.each(FACES)("%s", (_name, start) => {
  let emulator: TestEmulator;
  let face: Face;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    face = await start(engine, emulator);
  });
  afterAll(async () => {
    // Whatever a test left in the process's output, no credential ever reached it.
    expectNoSecrets(face.output());
    await face.close();
    await emulator.close();
  });
  afterEach(async () => {
    await emulator.clearFaults();
    const { instances, networkInterfaces } = defaultSeed();
    await emulator.patch({ upsert: { instances, networkInterfaces } });
  });

  /** The face's answer once the state it may have read within the last 2 s has aged out. */
  const seen = async <T>(what: string, ask: () => Promise<T>, holds: (value: T) => boolean): Promise<T> => {
    let value: T | undefined;
    await eventually(what, async () => holds((value = await ask())));
    return value as T;
  };

  test("check, create, read, drift in diff and in read, update, delete: the same ID, outputs and world", async () => {
    const { inputs, failures } = await face.check({ instanceId: IDS.running, securityGroupId: IDS.sgOps });
    expect(failures).toEqual([]);
    expect(common(inputs)).toEqual(ops());
    const created = await face.create(inputs);
    expect(created.id).toBe(`${IDS.running}:${IDS.sgOps}`);
    expect(common(created.outs)).toEqual({ ...ops(), securityGroupIds: [IDS.sgWeb, IDS.sgOps] });
    expect(common((await face.read(created.id, created.outs)).props)).toEqual(common(created.outs));

    // Someone removes it by hand: diff plans the rejoin, read reports it gone, update rejoins.
    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] } });
    expect(
      await seen(
        "the diff to see the drift",
        () => face.diff(created.id, created.outs, inputs),
        (d) => d.changes,
      ),
    ).toEqual({
      changes: true,
      replaces: [],
    });
    expect(
      (
        await seen(
          "the read to see it gone",
          () => face.read(created.id, created.outs),
          (r) => r.id === "",
        )
      ).id,
    ).toBe("");
    expect(await face.diff(created.id, created.outs, { ...inputs, securityGroupId: IDS.sgDb })).toEqual({
      changes: true,
      replaces: ["securityGroupId"],
    });
    expect(common(await face.update(created.id, created.outs, inputs)).securityGroupIds).toEqual([IDS.sgWeb, IDS.sgOps]);

    await face.delete(created.id, created.outs);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
    expect(
      (
        await seen(
          "the read to see it deleted",
          () => face.read(created.id, created.outs),
          (r) => r.id === "",
        )
      ).id,
    ).toBe("");
  });

  test("an elastic network interface is a target of its own: its list changes, not its instance's", async () => {
    const created = await face.create({ networkInterfaceId: IDS.eni, securityGroupId: IDS.sgOps, regionId: REGION });
    expect(created.id).toBe(`${IDS.eni}:${IDS.sgOps}`);
    expect(common(created.outs)).toMatchObject({ networkInterfaceId: IDS.eni, securityGroupIds: [IDS.sgDb, IDS.sgOps] });
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
    await face.delete(created.id, created.outs);
    expect(await groupsOf(emulator, IDS.eni)).toEqual([IDS.sgDb]);
  });

  test("bad input: every failure named by property, and nothing sent to ECS", async () => {
    await emulator.resetStats();
    expect((await face.check({ instanceId: "i-UPPER", securityGroupId: "sg-bp1ops", regionId: "Hangzhou" })).failures).toEqual([
      { property: "instanceId", reason: expect.stringMatching(/^"i-UPPER" is not an ECS instance ID/) },
      { property: "regionId", reason: '"Hangzhou" is not a region ID such as cn-hangzhou or ap-southeast-1' },
    ]);
    const both = await face.check({ instanceId: IDS.running, networkInterfaceId: IDS.eni, securityGroupId: IDS.sgOps });
    expect(both.failures.map((f) => f.property)).toEqual(["instanceId", "networkInterfaceId"]);
    expect((await face.check({ instanceId: IDS.running })).failures.map((f) => f.property)).toEqual(["securityGroupId"]);
    expect((await emulator.stats()).total).toBe(0);
  });

  test("an existing membership: refused with how to take it over, taken over with adoptExisting", async () => {
    const existing = ops({ securityGroupId: IDS.sgWeb });
    expect(await failureOf(face.create(existing))).toMatch(/already in security group sg-bp1web[\s\S]*adoptExisting: true/);
    const adopted = await face.create({ ...existing, adoptExisting: true });
    expect(adopted.id).toBe(`${IDS.running}:${IDS.sgWeb}`);
    expect(common(adopted.outs).securityGroupIds).toEqual([IDS.sgWeb]);
  });

  test("the last group: delete refused with ECS's code and RequestId and what to do, and the membership stays", async () => {
    const props = { ...ops({ securityGroupId: IDS.sgWeb }), securityGroupIds: [IDS.sgWeb] };
    const message = await failureOf(face.delete(`${IDS.running}:${IDS.sgWeb}`, props));
    expect(message).toMatch(/InstanceLastSecurityGroup: .*\(RequestId: [0-9A-F-]+\)[\s\S]*keep at least one security group/);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });

  test("ECS's errors: its code, message and RequestId, with no secret", async () => {
    expect(await failureOf(face.create(ops({ securityGroupId: "sg-bp1nosuch" })))).toMatch(
      new RegExp(`InvalidSecurityGroupId\\.NotFound: The specified SecurityGroupId does not exist\\. ${REQUEST_ID.source}`),
    );
    expect(await failureOf(face.create(ops({ instanceId: "i-bp1nosuch" })))).toMatch(
      /^JoinSecurityGroup for instance i-bp1nosuch and security group sg-bp1ops failed: InvalidInstanceId\.NotFound: /,
    );
  });

  test("a locked instance: refused with ECS's reason and not retried", async () => {
    await emulator.resetStats();
    const message = await failureOf(face.create(ops({ instanceId: IDS.locked })));
    expect(message).toMatch(/InstanceLockedForSecurity: .*locked for security reasons/);
    expect(message).toMatch(/Not retried/);
    expect((await emulator.stats()).actions.JoinSecurityGroup).toBe(1);
    expect(await groupsOf(emulator, IDS.locked)).toEqual([IDS.sgWeb, IDS.sgDb]);
  });

  test("throttling: the Join is retried until it lands, one request per attempt", async () => {
    await emulator.resetStats();
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "throttling", code: "Throttling", times: 2 }]);
    const created = await face.create(ops());
    expect(common(created.outs).securityGroupIds).toEqual([IDS.sgWeb, IDS.sgOps]);
    expect((await emulator.stats()).actions.JoinSecurityGroup).toBe(3);
  });

  test("the deadline (operationTimeoutSeconds, or the plugin's customTimeouts) bounds the wait for a target that never settles", async () => {
    const message = await failureOf(face.create(ops({ instanceId: IDS.pending }), 2));
    expect(message).toMatch(/instance i-bp1pending is still Pending after .*\(now 2s\)/);
    expect(await groupsOf(emulator, IDS.pending)).toEqual([IDS.sgWeb, IDS.sgDb]);
  });
});
