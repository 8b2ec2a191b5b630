/**
 * Drives our own provider plugin (bin/pulumi-resource-alicloud-sg-membership.js) over gRPC as the engine does: the
 * process started with the engine's address, its port read from the first line of stdout, then ResourceProvider calls
 * through the stubs in @pulumi/pulumi/proto. The fake engine of plugin-harness.ts records the Log calls.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { REPO_ROOT } from "../../testing/pulumi-cli";
import type { FakeEngine } from "./plugin-harness";

export const PLUGIN_BIN = path.join(REPO_ROOT, "bin", "pulumi-resource-alicloud-sg-membership.js");
export const TOKEN = "alicloud-sg-membership:index:SecurityGroupMembership";

export type Props = Record<string, unknown>;

/** A failed call as the engine sees it: the gRPC code, the message, and an ErrorResourceInitFailed if one came. */
export class CallError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
    readonly initFailed: { id: string; properties: Props; reasons: string[] } | undefined,
  ) {
    super(details);
  }
}

function initFailedOf(err: grpc.ServiceError): CallError["initFailed"] {
  const bytes = err.metadata?.get("grpc-status-details-bin")[0];
  if (!bytes) return undefined;
  const status = statusproto.Status.deserializeBinary(new Uint8Array(bytes as Buffer));
  for (const detail of status.getDetailsList()) {
    if (detail.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
    const failed = provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
    return { id: failed.getId(), properties: (failed.getProperties()?.toJavaScript() ?? {}) as Props, reasons: failed.getReasonsList() };
  }
  return undefined;
}

export const struct = (value: Props) => Struct.fromJavaScript(value as never);
export const plain = (value: Struct | undefined) => (value?.toJavaScript() ?? {}) as Props;

export interface ProviderPlugin {
  child: ChildProcess;
  call<Res>(method: string, request: unknown): Promise<Res>;
  /** Everything the plugin printed to stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  close(): Promise<void>;
}

async function readPort(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const first = output().split("\n")[0]!;
      if (output().includes("\n") && /^\d+$/.test(first.trim())) resolve(Number(first.trim()));
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the plugin exited with ${code} before printing its port:\n${output()}`)));
  });
}

/** Connects to a plugin whose port was printed; `child` is what the test started (the plugin, or a parent of it). */
export async function connect(child: ChildProcess, output: () => string): Promise<ProviderPlugin> {
  const port = await readPort(child, output);
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const exited = new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code)),
  );
  return {
    child,
    output,
    exited,
    call<Res>(method: string, request: unknown): Promise<Res> {
      const stub = (client as unknown as Record<string, (r: unknown, cb: (e: grpc.ServiceError | null, v: Res) => void) => void>)[method]!;
      return new Promise((resolve, reject) =>
        stub.call(client, request, (err, value) => (err ? reject(new CallError(err.code, err.details, initFailedOf(err))) : resolve(value))),
      );
    },
    async close() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

export async function startProviderPlugin(engine: FakeEngine, env: Record<string, string | undefined> = {}): Promise<ProviderPlugin> {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
  const child = spawn(process.execPath, [PLUGIN_BIN, engine.address], { cwd: REPO_ROOT, env: merged, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  return connect(child, () => text);
}

/** Requests of the engine's shape, the URN of a resource named `name` of the plugin's type. */
export function urnOf(name: string, type = TOKEN): string {
  return `urn:pulumi:test::sgm-yaml::${type}::${name}`;
}

export function checkRequest(news: Props, urn = urnOf("m")): provproto.CheckRequest {
  return new provproto.CheckRequest().setUrn(urn).setOlds(struct({})).setNews(struct(news));
}

export function diffRequest(id: string, olds: Props, news: Props, urn = urnOf("m")): provproto.DiffRequest {
  return new provproto.DiffRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
}

export function createRequest(props: Props, timeoutSeconds = 0, urn = urnOf("m")): provproto.CreateRequest {
  return new provproto.CreateRequest().setUrn(urn).setProperties(struct(props)).setTimeout(timeoutSeconds);
}

export function readRequest(id: string, props: Props | undefined, urn = urnOf("m")): provproto.ReadRequest {
  const req = new provproto.ReadRequest().setUrn(urn).setId(id);
  return props ? req.setProperties(struct(props)) : req;
}

export function updateRequest(id: string, olds: Props, news: Props, timeoutSeconds = 0, urn = urnOf("m")): provproto.UpdateRequest {
  return new provproto.UpdateRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news)).setTimeout(timeoutSeconds);
}

export function deleteRequest(id: string, props: Props, timeoutSeconds = 0, urn = urnOf("m")): provproto.DeleteRequest {
  return new provproto.DeleteRequest().setUrn(urn).setId(id).setProperties(struct(props)).setTimeout(timeoutSeconds);
}

/**
 * Configure as the engine sends it: plain keys in `args` (an explicit provider's boolean input as a boolean), `pkg:config:key`
 * in the variables map (every value as text).
 */
export function configureRequest(config: Record<string, string | boolean>): provproto.ConfigureRequest {
  const req = new provproto.ConfigureRequest().setArgs(struct(config));
  for (const [key, value] of Object.entries(config)) req.getVariablesMap().set(`alicloud-sg-membership:config:${key}`, String(value));
  return req;
}
