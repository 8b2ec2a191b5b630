import { checkIntegrity } from "./integrity";
import { parseAccessKey, parseInstance, parseNetworkInterface, parseSecurityGroup, parseSettings, parseVpc } from "./schemas";
import type { Seed } from "./types";
import { LIMITS } from "./limits";
import { arrayOf, bounded, checkKeys, isObject, type Check } from "./validate";

const SEED_KEYS = ["accessKeys", "vpcs", "securityGroups", "instances", "networkInterfaces", "settings", "faults", "rngSeed", "idCounter"] as const;

/** Validates a seed file's JSON (or a snapshot). Entity lists may be left out (empty); errors name the bad field. */
export function parseSeed(json: unknown): Seed {
  const raw = isObject(json, "seed");
  checkKeys(raw, SEED_KEYS, "");
  const list = <T>(key: string, item: Check<T>): T[] => (raw[key] === undefined ? [] : arrayOf(item)(raw[key], key));
  const seed: Seed = {
    accessKeys: list("accessKeys", parseAccessKey),
    vpcs: list("vpcs", parseVpc),
    securityGroups: list("securityGroups", parseSecurityGroup),
    instances: list("instances", parseInstance),
    networkInterfaces: list("networkInterfaces", parseNetworkInterface),
  };
  if (raw.settings !== undefined) seed.settings = parseSettings(raw.settings, "settings");
  if (raw.faults !== undefined) seed.faults = arrayOf((v) => v)(raw.faults, "faults");
  if (raw.rngSeed !== undefined) seed.rngSeed = bounded(LIMITS.rngSeed)(raw.rngSeed, "rngSeed");
  if (raw.idCounter !== undefined) seed.idCounter = bounded(LIMITS.idCounter)(raw.idCounter, "idCounter");
  checkIntegrity(seed);
  return seed;
}
