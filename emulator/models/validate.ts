import { isWellFormedId, type IdKind } from "./ids";
import { integerOutOfBounds, type IntegerBounds } from "./limits";

/** Small checkers for seed and patch JSON: each names the offending path, e.g. `instances[2].status: must be one of ...`. */
export type Check<T> = (value: unknown, path: string) => T;

export function fail(path: string, why: string): never {
  throw new Error(`${path}: ${why}`);
}

export function describe(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

export const isObject: Check<Record<string, unknown>> = (value, path) =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail(path, `must be an object, got ${describe(value)}`);

export const isString: Check<string> = (value, path) =>
  typeof value === "string" && value.length > 0 ? value : fail(path, `must be a non-empty string, got ${describe(value)}`);

/** Names may be empty, as ECS allows. */
export const isText: Check<string> = (value, path) => (typeof value === "string" ? value : fail(path, `must be a string, got ${describe(value)}`));

export const isBoolean: Check<boolean> = (value, path) =>
  typeof value === "boolean" ? value : fail(path, `must be true or false, got ${describe(value)}`);

export function bounded(bounds: IntegerBounds): Check<number> {
  return (value, path) => {
    const why = integerOutOfBounds(value, bounds);
    return why === undefined ? (value as number) : fail(path, why);
  };
}

export function oneOf<T extends string>(allowed: readonly T[]): Check<T> {
  return (value, path) =>
    allowed.includes(value as T) ? (value as T) : fail(path, `must be one of ${allowed.join(", ")}, got ${describe(value)}`);
}

export function idOf(kind: IdKind): Check<string> {
  return (value, path) => {
    const id = isString(value, path);
    return isWellFormedId(kind, id) ? id : fail(path, `must be a well-formed ${kind} ID (prefix, then [a-z0-9]+), got ${describe(id)}`);
  };
}

export function arrayOf<T>(item: Check<T>): Check<T[]> {
  return (value, path) => (Array.isArray(value) ? value.map((v, i) => item(v, `${path}[${i}]`)) : fail(path, `must be an array, got ${describe(value)}`));
}

export function orNull<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === null ? null : check(value, path));
}

export interface FieldSpec {
  readonly check: Check<unknown>;
  readonly required: boolean;
}
export type EntitySchema = Readonly<Record<string, FieldSpec>>;

export const required = (check: Check<unknown>): FieldSpec => ({ check, required: true });
export const optional = (check: Check<unknown>): FieldSpec => ({ check, required: false });

/** Checks the fields present; refuses unknown ones (a typo would otherwise be silently ignored). */
export function checkFields(schema: EntitySchema, value: unknown, path: string): Record<string, unknown> {
  const raw = isObject(value, path);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(raw)) {
    // hasOwn: a field named "constructor" or "__proto__" must not find Object.prototype's members.
    const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (!spec) fail(`${path}.${key}`, `unknown field (known: ${Object.keys(schema).join(", ")})`);
    if (field !== undefined) out[key] = spec.check(field, `${path}.${key}`);
  }
  return out;
}

export function requireAll(schema: EntitySchema, entity: Record<string, unknown>, path: string): void {
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.required && entity[key] === undefined) fail(`${path}.${key}`, "is required");
  }
}

/** Refuses top-level keys that are not in `known`. */
export function checkKeys(value: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(path ? `${path}.${key}` : key, `unknown field (known: ${known.join(", ")})`);
  }
}
