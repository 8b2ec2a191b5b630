/**
 * Memberships an interrupted `pulumi up` of this stack created: the Pulumi engine keeps every create it started but
 * never saw finish as a pending operation in the stack's state. `sg-membership-recover` (recover-cli.ts) lists the
 * pending creates of SecurityGroupMembership and runs `pulumi up` with that list; create accepts a membership that
 * already exists only when it is on the list, as the resource's own. Nothing else is ever adopted this way.
 */
import { readFileSync } from "fs";

/** The list's path, set by sg-membership-recover for the one `pulumi up` it runs. */
export const RECOVER_FILE_ENV = "SG_MEMBERSHIP_RECOVER_FILE";

/** A pending create: the resource's URN and the membership ID it would have had. */
export interface PendingCreate {
  urn: string;
  id: string;
}

let loaded: { path: string; ids: ReadonlyMap<string, string> } | undefined;

export function parsePendingCreates(text: string): PendingCreate[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item?.urn === "string" && typeof item?.id === "string")) {
    throw new Error("the list of interrupted creates must be a JSON array of {urn, id}");
  }
  return parsed as PendingCreate[];
}

/** The memberships the user asked to recover, by resource URN; empty unless sg-membership-recover runs this `pulumi up`. */
export function interruptedCreatesOf(env: NodeJS.ProcessEnv): ReadonlyMap<string, string> {
  const path = env[RECOVER_FILE_ENV];
  if (!path) return new Map();
  if (loaded?.path !== path) loaded = { path, ids: new Map(parsePendingCreates(readFileSync(path, "utf8")).map(({ urn, id }) => [urn, id])) };
  return loaded.ids;
}

/** Whether this membership was created by an interrupted run the user asked to recover. */
export function isInterruptedCreate(urn: string | undefined, id: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return urn !== undefined && interruptedCreatesOf(env).get(urn) === id;
}
