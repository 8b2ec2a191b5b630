import * as fs from "node:fs";
import { parseSeed, type Seed } from "../models";
import { parseFaultRules, parseRngSeed, type FaultRule } from "../faults/fault-rules";
import { readStateFile } from "./state-file";

export interface InitialState {
  seed: Seed;
  faults: FaultRule[];
  rngSeed: number | undefined;
  /** Loaded from an existing --state file: a restart, not a fresh world. */
  restarted: boolean;
}

/** The world to start from: the saved state when there is one (a restart continues), else the seed. */
export function initialState(seed: Seed | string, statePath: string | undefined): InitialState {
  const saved = statePath === undefined ? undefined : readStateFile(statePath);
  if (saved !== undefined) return { ...parseWith(saved, `state file ${statePath}`), restarted: true };
  const fresh = typeof seed === "string" ? parseWith(readJsonFile(seed), `seed file ${seed}`) : withFaults(seed, "seed");
  return { ...fresh, restarted: false };
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read seed file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`seed file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function parseWith(json: unknown, what: string): Omit<InitialState, "restarted"> {
  let seed: Seed;
  try {
    seed = parseSeed(json);
  } catch (error) {
    throw new Error(`${what} is not a valid world: ${(error as Error).message}`, { cause: error });
  }
  return withFaults(seed, what);
}

/** The world model carries faults and rngSeed through untouched; they are the wire layer's to check. */
function withFaults(seed: Seed, what: string): Omit<InitialState, "restarted"> {
  try {
    return { seed, faults: parseFaultRules(seed.faults), rngSeed: parseRngSeed(seed.rngSeed) };
  } catch (error) {
    throw new Error(`${what} has invalid fault settings: ${(error as Error).message}`, { cause: error });
  }
}
