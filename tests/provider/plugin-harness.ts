/**
 * Drives @pulumi/pulumi's real dynamic-provider plugin process over gRPC, as the engine does: a fake Engine service
 * (the plugin needs an engine address; it records Log calls), the plugin spawned with node, and ResourceProvider stubs
 * from @pulumi/pulumi/proto. The real engine is covered by the end-to-end tests.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { REPO_ROOT } from "../../testing/pulumi-cli";

const PLUGIN = path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider");

export interface LoggedMessage {
  severity: number;
  message: string;
  urn: string;
}

export interface FakeEngine {
  address: string;
  logs: LoggedMessage[];
  close(): Promise<void>;
}

export async function startFakeEngine(): Promise<FakeEngine> {
  const logs: LoggedMessage[] = [];
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) => callback({ code: grpc.status.UNIMPLEMENTED }, null);
  server.addService(engrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<engproto.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage(), urn: call.request.getUrn() });
      callback(null, new Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
    requirePulumiVersion: unimplemented,
  } as never);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, logs, close: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

type Props = Record<string, unknown>;

export interface PluginClient {
  configure(config: Record<string, string>): Promise<void>;
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }>;
  create(props: Props): Promise<{ id: string; properties: Props }>;
  read(id: string, props: Props): Promise<{ id: string; properties: Props }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, props: Props): Promise<void>;
  /** Everything the plugin printed to stdout and stderr. */
  output(): string;
  close(): Promise<void>;
}

function unary<Req, Res>(client: provrpc.ResourceProviderClient, method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) =>
    (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, v: Res) => void) => void>)[method](request, (err, value) =>
      err ? reject(new Error(err.details || err.message)) : resolve(value),
    ),
  );
}

const struct = (value: Props) => Struct.fromJavaScript(value as never);

async function readPort(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const first = output().split("\n")[0];
      if (output().includes("\n") && /^\d+$/.test(first.trim())) resolve(Number(first.trim()));
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the dynamic-provider plugin exited with ${code} before printing its port:\n${output()}`)));
  });
}

/** Starts the plugin with `env` added to this process's environment. `urn` is sent with every request. */
export async function startPlugin(engine: FakeEngine, env: Record<string, string | undefined>, urn: string): Promise<PluginClient> {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
  const child = spawn(process.execPath, [PLUGIN, engine.address], { cwd: REPO_ROOT, env: merged, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const output = () => text;
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  const port = await readPort(child, output);
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const withUrn = <T extends { setUrn(u: string): unknown }>(req: T) => (req.setUrn(urn), req);
  return {
    output,
    async configure(config) {
      const req = new provproto.ConfigureRequest();
      req.setArgs(struct(config));
      await unary(client, "configure", req);
    },
    async check(olds, news) {
      const req = withUrn(new provproto.CheckRequest());
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await unary<provproto.CheckRequest, provproto.CheckResponse>(client, "check", req);
      return {
        inputs: (res.getInputs()?.toJavaScript() ?? {}) as Props,
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, olds, news) {
      const req = withUrn(new provproto.DiffRequest());
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await unary<provproto.DiffRequest, provproto.DiffResponse>(client, "diff", req);
      return { changes: res.getChanges(), replaces: res.getReplacesList() };
    },
    async create(props) {
      const req = withUrn(new provproto.CreateRequest());
      req.setProperties(struct(props));
      const res = await unary<provproto.CreateRequest, provproto.CreateResponse>(client, "create", req);
      return { id: res.getId(), properties: (res.getProperties()?.toJavaScript() ?? {}) as Props };
    },
    async read(id, props) {
      const req = withUrn(new provproto.ReadRequest());
      req.setId(id);
      req.setProperties(struct(props));
      const res = await unary<provproto.ReadRequest, provproto.ReadResponse>(client, "read", req);
      return { id: res.getId(), properties: (res.getProperties()?.toJavaScript() ?? {}) as Props };
    },
    async update(id, olds, news) {
      const req = withUrn(new provproto.UpdateRequest());
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await unary<provproto.UpdateRequest, provproto.UpdateResponse>(client, "update", req);
      return (res.getProperties()?.toJavaScript() ?? {}) as Props;
    },
    async delete(id, props) {
      const req = withUrn(new provproto.DeleteRequest());
      req.setId(id);
      req.setProperties(struct(props));
      await unary(client, "delete", req);
    },
    async close() {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
