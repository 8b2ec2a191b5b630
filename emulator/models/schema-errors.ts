import type { z } from "zod";

/** Problems in seeds, patches and fault rules name the field: `instances[2].status: must be one of …`. */
export function fail(path: string, why: string): never {
  throw new Error(`${path}: ${why}`);
}

export function describe(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

/** A schema's error message: "is required" for a missing value, else what the value must be and what it was. */
export function mustBe(what: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? "is required" : `must be ${what}, got ${describe(issue.input)}`);
}

/** The first problem zod found, its path written out from `root` (`faults[0].kind`; `nameOfWhole` when it is the
 *  value itself). Unknown keys are listed, with the path of the first one. */
export interface Problem {
  path: string;
  message: string;
  unknownKeys?: { keys: string[]; firstKeyPath: string };
}

export function firstProblem(error: z.ZodError, root: string, nameOfWhole = root): Problem {
  const issue = error.issues[0]!;
  const path = pathOf(root, issue.path) || nameOfWhole;
  if (issue.code !== "unrecognized_keys") return { path, message: issue.message };
  return { path, message: "has unknown fields", unknownKeys: { keys: issue.keys, firstKeyPath: pathOf(root, [...issue.path, issue.keys[0]!]) } };
}

/** Parses `value` or throws its first problem as `path: why`; an unknown key is named as a field of its own. */
export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown, root: string, nameOfWhole = root): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problem = firstProblem(result.error, root, nameOfWhole);
  return problem.unknownKeys ? fail(problem.unknownKeys.firstKeyPath, "unknown field") : fail(problem.path, problem.message);
}

function pathOf(root: string, keys: readonly PropertyKey[]): string {
  return keys.reduce<string>((at, key) => (typeof key === "number" ? `${at}[${key}]` : at === "" ? String(key) : `${at}.${String(key)}`), root);
}
