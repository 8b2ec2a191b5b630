import type { Params } from "./contract";
import { ecsErrors } from "./ecsErrors";

/** Reading request parameters the way ECS does: an empty value counts as missing. */

export function optionalParam(params: Params, name: string): string | undefined {
  const value = params.get(name);
  return value === undefined || value === "" ? undefined : value;
}

export function requiredParam(params: Params, name: string): string {
  return optionalParam(params, name) ?? throwError(ecsErrors.missingParameter(name));
}

export function integerParam(params: Params, name: string, range: { min: number; max: number; fallback: number }): number {
  const raw = optionalParam(params, name);
  if (raw === undefined) return range.fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= range.min && value <= range.max)) throw ecsErrors.invalidParameter(name, `It must be an integer from ${range.min} to ${range.max}.`);
  return value;
}

export function booleanParam(params: Params, name: string): boolean {
  const raw = optionalParam(params, name);
  if (raw === undefined || raw === "false") return false;
  if (raw === "true") return true;
  throw ecsErrors.invalidParameter(name, "It must be true or false.");
}

export function oneOfParam<T extends string>(params: Params, name: string, allowed: readonly T[]): T | undefined {
  const raw = optionalParam(params, name);
  if (raw === undefined || allowed.includes(raw as T)) return raw as T | undefined;
  throw ecsErrors.invalidParameter(name, `It must be one of ${allowed.join(", ")}.`);
}

/** A JSON array of strings, e.g. InstanceIds=["i-a","i-b"]. */
export function jsonListParam(params: Params, name: string, max: number): string[] | undefined {
  const raw = optionalParam(params, name);
  if (raw === undefined) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw ecsErrors.invalidParameter(name, "It must be a JSON array of strings.");
  }
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
    throw ecsErrors.invalidParameter(name, "It must be a JSON array of strings.");
  }
  if (list.length > max) throw ecsErrors.invalidParameter(name, `It holds more than ${max} items.`);
  return list;
}

/** A repeated parameter Name.1, Name.2, ... in index order, duplicates dropped; undefined when none is given. */
export function indexedListParam(params: Params, name: string, max: number): string[] | undefined {
  const pattern = new RegExp(`^${name.replace(/\./g, "\\.")}\\.(\\d+)$`);
  const entries: [number, string][] = [];
  for (const [key, value] of params) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    if (index < 1 || index > max) throw ecsErrors.invalidParameter(key, `N must be from 1 to ${max}.`);
    if (value !== "") entries.push([index, value]);
  }
  if (entries.length === 0) return undefined;
  return [...new Set(entries.sort((a, b) => a[0] - b[0]).map(([, value]) => value))];
}

function throwError(error: Error): never {
  throw error;
}
