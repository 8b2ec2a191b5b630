/**
 * Progress messages (waits, retries) sent to the Pulumi engine against the resource, so a slow `pulumi up` says why.
 * The dynamic-provider plugin is started with the engine's address but does not connect the SDK's logger to it, so we
 * open our own Engine client with the plugin's copies of grpc-js and the engine stubs. Outside the plugin (the provider
 * driven directly from code) logging is a no-op.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { MessagesInFlight, type ProgressLog, SILENT } from "../membership/progress-log";

/** LogSeverity values of pulumirpc.LogSeverity. */
const SEVERITY = { info: 1, warning: 2 } as const;

interface EngineStubs {
  grpc: { credentials: { createInsecure(): unknown } };
  engrpc: { EngineClient: new (address: string, credentials: unknown) => { log(req: unknown, done: () => void): void } };
  engproto: {
    LogRequest: new () => {
      setSeverity(s: number): void;
      setMessage(m: string): void;
      setUrn(u: string): void;
      setEphemeral(e: boolean): void;
    };
  };
}

function pluginScript(): string | undefined {
  const script = process.argv[1];
  if (!script || !/dynamic-provider/.test(script) || !process.argv[2]) return undefined;
  const resolved = path.resolve(script);
  return fs.existsSync(resolved) && fs.statSync(resolved).isDirectory() ? path.join(resolved, "index.js") : resolved;
}

/** True inside Pulumi's dynamic-provider plugin process, where the engine shows what the provider logs and prints. */
export function insidePlugin(): boolean {
  return pluginScript() !== undefined;
}

function loadStubs(script: string): EngineStubs {
  const pluginRequire = createRequire(script);
  return {
    grpc: pluginRequire("@grpc/grpc-js"),
    engrpc: pluginRequire("../../proto/engine_grpc_pb"),
    engproto: pluginRequire("../../proto/engine_pb"),
  };
}

function engineLog(address: string, stubs: EngineStubs): ProgressLog {
  const client = new stubs.engrpc.EngineClient(address, stubs.grpc.credentials.createInsecure());
  const inFlight = new MessagesInFlight();
  const send = (severity: number, message: string, urn?: string) => {
    const request = new stubs.engproto.LogRequest();
    request.setSeverity(severity);
    request.setMessage(message);
    request.setUrn(urn ?? "");
    request.setEphemeral(false);
    inFlight.track((done) => client.log(request, done));
  };
  return {
    info: (message, urn) => send(SEVERITY.info, message, urn),
    warn: (message, urn) => send(SEVERITY.warning, message, urn),
    delivered: () => inFlight.delivered(),
  };
}

/** The engine logger when running inside Pulumi's dynamic-provider plugin, else a no-op. */
export function createProgressLog(): ProgressLog {
  const script = pluginScript();
  if (!script) return SILENT;
  try {
    return engineLog(process.argv[2], loadStubs(script));
  } catch {
    return SILENT;
  }
}
