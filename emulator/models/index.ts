/**
 * The emulator's world and rules (moto's `models`). The wire layer (protocol, auth, responses, faults, persistence,
 * admin, http) uses only what this file exports; the lint rules in eslint.config.mjs hold it to that.
 *
 * Notes for the wire layer:
 * - `World.actions[name].run(params)` returns the response body without RequestId, or throws EcsError (render it with its
 *   httpStatus) — any other exception is a bug and deserves 500 InternalError.
 * - `parseSeed` throws plain Error naming the bad field; `applyPatch` too, and leaves the world unchanged when it throws.
 * - `snapshot()` carries `faults` and `rngSeed` through untouched and adds `idCounter`; `parseSeed(snapshot)` accepts it.
 *   parseSeed refuses unknown top-level keys: a new key in the state file needs a field here first.
 * - The conflict window is a world setting (`settings.conflictWindowMs`, patchable via applyPatch), not a fault rule.
 * - `ecsErrors` is the one catalogue of every error the emulator answers with, the world's and the gateway's;
 *   `ECS_ERROR_CODES` lists their codes.
 */
export type { Params, ActionResult, ActionSpec, AccessKey, Clock } from "./contract";
export { EcsError } from "./errors";
export { ecsErrors, ECS_ERROR_CODES, THROTTLING_ERRORS, type ErrorEntry } from "./ecsErrors";
export type { Seed, Vpc, SecurityGroup, Instance, NetworkInterface, WorldSettings, SettingsPatch, InstanceStatus } from "./types";
export { DEFAULT_SETTINGS } from "./types";
export { parseSeed } from "./seed";
export { World } from "./world";
export { LIMITS, boundedInteger, integerOutOfBounds, type IntegerBounds } from "./limits";
export { firstProblem, type Problem } from "./schema-errors";
