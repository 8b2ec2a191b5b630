/**
 * Property bags on the wire: google.protobuf.Struct to plain objects and back. The plugin tells the engine it does not
 * accept secrets, so the engine unwraps them before sending and marks outputs of secret inputs secret again; a value
 * still wrapped (an engine that sends them anyway) is unwrapped here all the same.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The signature key of a secret value on the wire, and its value (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Properties only the dynamic resource has: never read from, nor written to, the plugin's state. */
const DYNAMIC_ONLY = ["__provider", "__urn"];

export type Bag = Record<string, unknown>;

export function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === "object") {
    const object = value as Bag;
    if (object[SIG_KEY] === SECRET_SIG) return plainValue(object.value);
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, plainValue(inner)]));
  }
  return value;
}

export function bagOf(struct: Struct | undefined): Bag {
  return struct ? (plainValue(struct.toJavaScript()) as Bag) : {};
}

/** A membership's properties as the plugin keeps them: no dynamic-only keys, no undefined (Struct has no such value). */
export function stateOf(bag: object): Bag {
  return Object.fromEntries(Object.entries(bag).filter(([key, value]) => !DYNAMIC_ONLY.includes(key) && value !== undefined));
}

export function structOf(bag: object): Struct {
  return Struct.fromJavaScript(stateOf(bag) as never);
}

/** The bag as the lifecycle takes it: its URN, so progress is logged against the resource. */
export function withUrn(bag: Bag, urn: string): Bag {
  return { ...stateOf(bag), ...(urn ? { __urn: urn } : {}) };
}
