/**
 * Errors as the engine takes them over gRPC. Messages are the lifecycle's own (already scrubbed of credentials and
 * signed URLs, see ecs/errors.ts); a create or update whose write ECS may still carry out is answered with
 * ErrorResourceInitFailed, so the engine keeps the membership in the stack (created, but failed to initialize)
 * instead of forgetting a Join that lands later.
 */
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { type Bag, structOf } from "./properties";

export interface GrpcFailure {
  code: grpc.status;
  details: string;
  metadata?: grpc.Metadata;
}

/** A failure the plugin itself detects before any ECS call (a wrong type token, malformed properties). */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: grpc.status = grpc.status.INVALID_ARGUMENT,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export function failureOf(err: unknown): GrpcFailure {
  if (err instanceof RequestError) return { code: err.code, details: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: grpc.status.UNKNOWN, details: message };
}

/** The engine reads these details from `grpc-status-details-bin`, as the Go providers send them. */
export function initFailure(err: Error, id: string, properties: Bag): GrpcFailure {
  const detail = new provproto.ErrorResourceInitFailed();
  detail.setId(id);
  detail.setProperties(structOf(properties));
  detail.setReasonsList([err.message]);
  const packed = new Any();
  packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusproto.Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(err.message);
  status.addDetails(packed);
  const metadata = new grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return { code: grpc.status.UNKNOWN, details: err.message, metadata };
}
