/**
 * The emulator's errors for code outside it: `ECS_ERROR_CODES` is every ECS error code the emulator can answer with (a
 * test can check that a client classifies each), `ecsErrors` the catalogue they come from (code, HTTP status, message).
 */
export { ECS_ERROR_CODES, EcsError, ecsErrors } from "./models";
