import { checkIntegrity } from "./integrity";
import { parseOrFail } from "./schema-errors";
import { seedSchema } from "./schemas";
import type { Seed } from "./types";

/** Validates a seed file's JSON (or a snapshot). Entity lists may be left out (empty); errors name the bad field. */
export function parseSeed(json: unknown): Seed {
  const seed = parseOrFail(seedSchema, json, "", "seed");
  checkIntegrity(seed);
  return seed;
}
