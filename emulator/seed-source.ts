import * as fs from "node:fs";
import { parseSeed, type Seed } from "./models";
import { readStateFile } from "./state-file";

/** The world to start from: the saved state when there is one (a restart continues), else the seed. */
export function initialSeed(seed: Seed | string, statePath: string | undefined): Seed {
  const saved = statePath === undefined ? undefined : readStateFile(statePath);
  if (saved !== undefined) return parseWith(saved, `state file ${statePath}`);
  return typeof seed === "string" ? parseWith(readJsonFile(seed), `seed file ${seed}`) : seed;
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read seed file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`seed file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function parseWith(json: unknown, what: string): Seed {
  try {
    return parseSeed(json);
  } catch (error) {
    throw new Error(`${what} is not a valid world: ${(error as Error).message}`);
  }
}
