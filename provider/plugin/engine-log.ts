/**
 * Progress messages (waits, retries, drift) sent to the engine's Log service against the resource's URN, so a slow
 * `pulumi up` says why beside the resource. The engine's address comes from the command line, Handshake or Attach;
 * until one is known (or when the engine is gone) messages are dropped: progress is never worth failing an operation.
 */
import * as grpc from "@grpc/grpc-js";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import { MessagesInFlight, type ProgressLog } from "../membership/progress-log";

export class EngineLog implements ProgressLog {
  private client: engrpc.EngineClient | undefined;
  private readonly inFlight = new MessagesInFlight();

  /** Points the log at the engine; a later address (Attach) replaces an earlier one. */
  connect(address: string): void {
    if (!address) return;
    this.client?.close();
    this.client = new engrpc.EngineClient(address, grpc.credentials.createInsecure());
  }

  info(message: string, urn?: string): void {
    this.send(engproto.LogSeverity.INFO, message, urn);
  }

  warn(message: string, urn?: string): void {
    this.send(engproto.LogSeverity.WARNING, message, urn);
  }

  delivered(): Promise<void> {
    return this.inFlight.delivered();
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private send(severity: engproto.LogSeverity, message: string, urn?: string): void {
    const client = this.client;
    if (!client) return;
    const request = new engproto.LogRequest();
    request.setSeverity(severity);
    request.setMessage(message);
    request.setUrn(urn ?? "");
    request.setEphemeral(false);
    this.inFlight.track((done) => client.log(request, done));
  }
}
