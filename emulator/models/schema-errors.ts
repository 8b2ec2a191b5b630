import type { z } from "zod";

/* Problems in seeds, patches and fault rules name the field: `instances[2].status: must be one of …`. */

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

/** How many problems one message lists: enough to fix a seed in one go, not a wall of text for a file that is all wrong. */
export const MAX_PROBLEMS_REPORTED = 10;

/** Collects a seed's or a patch's problems (`path: why`), to report them all at once rather than one per attempt. */
export class Problems {
  private readonly found: string[] = [];

  add(path: string, why: string): void {
    this.found.push(`${path}: ${why}`);
  }

  get count(): number {
    return this.found.length;
  }

  /** Throws every problem found, up to the bound, in one message; nothing when there is none. */
  throwIfAny(): void {
    if (this.found.length === 0) return;
    const shown = this.found.slice(0, MAX_PROBLEMS_REPORTED);
    const more = this.found.length - shown.length;
    throw new Error(`${shown.join("; ")}${more > 0 ? ` (and ${more} more)` : ""}`);
  }
}

/** Parses `value` or throws all its problems as `path: why; …`; an unknown key is named as a field of its own, with the
 *  known field nearest to it when there is one (a typo: `instances[0].staus: unknown field; did you mean status?`). */
export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown, root: string, nameOfWhole = root): z.output<S> {
  const problems = new Problems();
  const parsed = addParseProblems(problems, schema, value, root, nameOfWhole);
  problems.throwIfAny();
  return parsed as z.output<S>;
}

/** Adds `value`'s problems to `problems`; returns the parsed value when it had none. */
export function addParseProblems<S extends z.ZodType>(
  problems: Problems,
  schema: S,
  value: unknown,
  root: string,
  nameOfWhole = root,
): z.output<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code !== "unrecognized_keys") {
      problems.add(pathOf(root, issue.path) || nameOfWhole, issue.message);
      continue;
    }
    const known = knownKeysAt(schema, issue.path);
    for (const key of issue.keys) {
      const nearest = nearestName(
        key,
        known.filter((name) => !issue.keys.includes(name)),
      );
      problems.add(pathOf(root, [...issue.path, key]), `unknown field${nearest === undefined ? "" : `; did you mean ${nearest}?`}`);
    }
  }
  return undefined;
}

/** The fields an object schema at `path` (within `schema`) knows; [] where the path does not lead to one. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at: unknown = schema;
  for (const key of [...path, undefined]) {
    // Through wrappers (optional, default, nullable, pipes) to the object or array they hold.
    for (let def = defOf(at); def !== undefined && ["optional", "default", "nullable", "pipe", "prefault"].includes(def.type); def = defOf(at)) {
      at = def.innerType ?? def.in;
    }
    const def = defOf(at);
    if (key === undefined) return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
    if (def?.type === "array" && typeof key === "number") at = def.element;
    else if (def?.type === "object" && typeof key === "string") at = def.shape?.[key];
    else return [];
  }
  return [];
}

interface SchemaDef {
  type: string;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  shape?: Record<string, unknown>;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The known name nearest to `name`, when it is close enough to be a typo of it (at most a third of it differs). */
function nearestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const scored = known.map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best !== undefined && best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function pathOf(root: string, keys: readonly PropertyKey[]): string {
  return keys.reduce<string>((at, key) => (typeof key === "number" ? `${at}[${key}]` : at === "" ? String(key) : `${at}.${String(key)}`), root);
}
