/**
 * The floor of a YAML program's resources: a provider plugin of the membership's shape that does nothing (create
 * returns an ID, read its props, diff no change, delete nothing), written in Node.js on the same gRPC stubs as
 * `pulumi-resource-alicloud-sg-membership`, so what it costs is the engine's, the YAML host's and a Node.js plugin's
 * start: bench:plugin's counterpart of bench:scale's no-op dynamic resources. Run by the engine through a wrapper
 * script named `pulumi-resource-sgm-noop`; prints its port on stdout and exits on the engine's SIGINT (Node.js's
 * default). bench/plugin.ts imports only its names.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";

export const NOOP_PACKAGE = "sgm-noop";
export const NOOP_TOKEN = `${NOOP_PACKAGE}:index:Membership`;
const VERSION = "0.0.1";

const MEMBERSHIP = {
  instanceId: { type: "string" },
  securityGroupId: { type: "string" },
};

const SCHEMA = JSON.stringify({
  name: NOOP_PACKAGE,
  version: VERSION,
  resources: { [NOOP_TOKEN]: { inputProperties: MEMBERSHIP, properties: MEMBERSHIP, requiredInputs: ["securityGroupId"] } },
});

type Handler = (request: never) => unknown;

/** Each handler's result as the call's answer. */
function unary(handle: Handler): grpc.UntypedHandleCall {
  const call: grpc.handleUnaryCall<never, unknown> = (call, callback) => callback(null, handle(call.request));
  return call as grpc.UntypedHandleCall;
}

const noChange = () => new provproto.DiffResponse().setChanges(provproto.DiffResponse.DiffChanges.DIFF_NONE);

const handlers: Record<string, Handler> = {
  getPluginInfo: () => new plugproto.PluginInfo().setVersion(VERSION),
  getSchema: () => new provproto.GetSchemaResponse().setSchema(SCHEMA),
  checkConfig: (req: provproto.CheckRequest) => new provproto.CheckResponse().setInputs(req.getNews()),
  diffConfig: noChange,
  configure: () => new provproto.ConfigureResponse(),
  check: (req: provproto.CheckRequest) => new provproto.CheckResponse().setInputs(req.getNews()),
  diff: noChange,
  create: (req: provproto.CreateRequest) => {
    const props = req.getProperties()?.toJavaScript() ?? {};
    return new provproto.CreateResponse().setId(`${String(props.instanceId)}:${String(props.securityGroupId)}`).setProperties(req.getProperties());
  },
  read: (req: provproto.ReadRequest) => new provproto.ReadResponse().setId(req.getId()).setProperties(req.getProperties()).setInputs(req.getInputs()),
  update: (req: provproto.UpdateRequest) => new provproto.UpdateResponse().setProperties(req.getNews()),
  delete: () => new Empty(),
  cancel: () => new Empty(),
};

if (require.main === module) {
  const server = new grpc.Server();
  server.addService(provrpc.ResourceProviderService, Object.fromEntries(Object.entries(handlers).map(([name, handle]) => [name, unary(handle)])));
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) throw err;
    process.stdout.write(`${port}\n`);
  });
}
