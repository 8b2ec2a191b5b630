/**
 * The seam between the emulator's world (models/) and its wire layer (server, auth, responses, faults, admin).
 * The wire layer never reaches into the world's data; the world never sees HTTP.
 */

/** Request parameters after decoding and after the common parameters (Action, Signature, ...) were checked. */
export type Params = ReadonlyMap<string, string>;

/** A JSON-shaped response body without RequestId. Lists are wrapped as ECS does: { SecurityGroupIds: { SecurityGroupId: [...] } }.
 *  The XML renderer turns arrays into repeated elements named for their wrapper's key. */
export type ActionResult = Record<string, unknown>;

export interface ActionSpec {
  /** Mutating actions are refused for read-only keys (Forbidden.RAM) and are persisted before the response is sent. */
  readonly mutating: boolean;
  run(params: Params): ActionResult;
}

/** A seeded access key (models/schemas.ts declares it). */
export type { AccessKey } from "./types";

/** Milliseconds since the epoch; injectable so status transitions can be driven by tests of the model. */
export interface Clock {
  now(): number;
}
