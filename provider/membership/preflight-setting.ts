/**
 * Whether a run starts with the preflight read (membership/preflight.ts): on unless the user turns it off, for previews
 * made without credentials or without reaching ECS on purpose.
 */
import { OWN_CODES } from "../ecs/codes";
import { MembershipError } from "../ecs/errors";

export const PREFLIGHT_CONFIG_KEY = "alicloud-sg-membership:preflight";
export const PREFLIGHT_ENV = "ALIBABA_CLOUD_ECS_PREFLIGHT";

/** How a message tells the user to turn the check off. */
export const PREFLIGHT_OFF_SWITCH = `set ${PREFLIGHT_CONFIG_KEY} (or ${PREFLIGHT_ENV}) to false`;

/** `value` as read from `name` (the stack config key or the environment variable); a value that is not true or false is refused in one line. */
export function preflightEnabled(source: { value: string | undefined; name: string }): boolean {
  if (source.value === undefined) return true;
  const value = source.value.trim().toLowerCase();
  if (value === "true" || value === "false") return value === "true";
  throw new MembershipError(`${source.name}: ${JSON.stringify(source.value)} is not true or false`, OWN_CODES.invalidSetting);
}
