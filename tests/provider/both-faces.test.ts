/**
 * One behaviour suite over both faces of the one lifecycle: the dynamic resource's provider (in process, as its plugin
 * calls it) and the provider plugin (over gRPC). Each scenario runs on each face against a fresh emulator and must
 * give the same ID, outputs, failures and messages: the faces only translate.
 */
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { SecurityGroupMembershipProvider } from "../../provider";
import { startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { startFakeEngine, type FakeEngine } from "./plugin-harness";
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
  type ProviderPlugin,
  type Props,
} from "./provider-plugin-harness";
import { groupsOf, providerFor, TEST_OPTIONS } from "./support";
import { eventually } from "../../testing/wait";

/** The lifecycle as either face serves it, in the dynamic provider's terms. */
interface Face {
  check(news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[] }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, props: Props): Promise<void>;
  close(): Promise<void>;
}

function dynamicFace(provider: SecurityGroupMembershipProvider): Face {
  return {
    check: async (news) => {
      const res = await provider.check({}, news as never);
      return { inputs: res.inputs as unknown as Props, failures: (res.failures ?? []) as { property: string; reason: string }[] };
    },
    create: async (inputs) => {
      const { id, outs } = await provider.create(inputs as never);
      return { id, outs: outs as unknown as Props };
    },
    read: async (id, props) => {
      const res = await provider.read(id, props as never);
      return { id: res.id ?? "", props: (res.props ?? {}) as unknown as Props };
    },
    diff: async (id, olds, news) => {
      const res = await provider.diff(id, olds as never, news as never);
      return { changes: res.changes === true, replaces: res.replaces ?? [] };
    },
    update: async (id, olds, news) => (await provider.update(id, olds as never, news as never)).outs as unknown as Props,
    delete: (id, props) => provider.delete(id, props as never),
    close: async () => undefined,
  };
}

function pluginFace(plugin: ProviderPlugin): Face {
  return {
    check: async (news) => {
      const res = await plugin.call<provproto.CheckResponse>("check", checkRequest(news));
      return { inputs: plain(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    create: async (inputs) => {
      const res = await plugin.call<provproto.CreateResponse>("create", createRequest(inputs));
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
    close: () => plugin.close(),
  };
}

let engine: FakeEngine;
let emulator: TestEmulator;
let face: Face;

beforeAll(async () => {
  engine = await startFakeEngine();
});
afterAll(() => engine.close());

const FACES: [string, () => Promise<Face>][] = [
  ["the dynamic resource", async () => dynamicFace(await providerFor(emulator, KEYS.full, TEST_OPTIONS))],
  [
    "the provider plugin",
    async () => {
      const plugin = await startProviderPlugin(engine);
      await plugin.call(
        "configure",
        configureRequest({ region: REGION, ecsEndpoint: emulator.url, accessKey: KEYS.full.accessKeyId, secretKey: KEYS.full.accessKeySecret }),
      );
      return pluginFace(plugin);
    },
  ],
];

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

/** Outputs without what only the dynamic resource keeps (`__provider`, `__urn`). */
const common = (props: Props) => Object.fromEntries(Object.entries(props).filter(([key]) => !key.startsWith("__")));
const ops = (fields: Props = {}): Props => ({ instanceId: IDS.running, securityGroupId: IDS.sgOps, ...fields });

describe.each(FACES)("%s", (_name, makeFace) => {
  beforeEach(async () => {
    emulator = await startTestEmulator();
    face = await makeFace();
  });
  afterEach(async () => {
    await face.close();
    await emulator.close();
  });

  test("check, create, read, drift in diff, update, delete: the same ID, outputs and world", async () => {
    const { inputs, failures } = await face.check(ops());
    expect(failures).toEqual([]);
    expect(common(inputs)).toEqual({ ...ops(), regionId: REGION });
    const created = await face.create(inputs);
    expect(created.id).toBe(`${IDS.running}:${IDS.sgOps}`);
    expect(common(created.outs)).toEqual({ ...ops(), regionId: REGION, securityGroupIds: [IDS.sgWeb, IDS.sgOps] });
    expect(common((await face.read(created.id, created.outs)).props)).toEqual(common(created.outs));

    await emulator.patch({ upsert: { instances: [{ instanceId: IDS.running, securityGroupIds: [IDS.sgWeb] }] } });
    // The plugin may answer from the state it read within the last 2 s; after that it sees the drift.
    await eventually("the diff to see the drift", async () => (await face.diff(created.id, created.outs, inputs)).changes);
    expect(await face.diff(created.id, created.outs, inputs)).toEqual({ changes: true, replaces: [] });
    expect(await face.diff(created.id, created.outs, { ...inputs, securityGroupId: IDS.sgDb })).toEqual({
      changes: true,
      replaces: ["securityGroupId"],
    });
    expect(common(await face.update(created.id, created.outs, inputs)).securityGroupIds).toEqual([IDS.sgWeb, IDS.sgOps]);

    await face.delete(created.id, created.outs);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
    expect((await face.read(created.id, created.outs)).id).toBe("");
  });

  test("the same check failures for the same bad inputs", async () => {
    const { failures } = await face.check({
      instanceId: "i-UPPER",
      securityGroupId: "sg-bp1ops",
      regionId: "Hangzhou",
    });
    expect(failures).toEqual([
      { property: "instanceId", reason: expect.stringMatching(/^"i-UPPER" is not an ECS instance ID/) },
      { property: "regionId", reason: '"Hangzhou" is not a region ID such as cn-hangzhou or ap-southeast-1' },
    ]);
  });

  test("an existing membership: refused with how to adopt it, accepted with adoptExisting", async () => {
    const existing = { ...ops({ securityGroupId: IDS.sgWeb }), regionId: REGION };
    expect(await failureOf(face.create(existing))).toMatch(/already in security group sg-bp1web[\s\S]*adoptExisting: true/);
    const adopted = await face.create({ ...existing, adoptExisting: true });
    expect(common(adopted.outs).securityGroupIds).toEqual([IDS.sgWeb]);
  });

  test("the last group: delete refused with the reason, and the membership stays", async () => {
    const props = { ...ops({ securityGroupId: IDS.sgWeb }), regionId: REGION, securityGroupIds: [IDS.sgWeb] };
    expect(await failureOf(face.delete(`${IDS.running}:${IDS.sgWeb}`, props))).toMatch(/keep at least one security group/);
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });
});
