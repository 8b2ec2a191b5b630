import { checkIntegrity, type Entities } from "./integrity";
import { addParseProblems, parseOrFail, Problems } from "./schema-errors";
import { instanceSchema, networkInterfaceSchema, patchSchema, securityGroupSchema, vpcSchema } from "./schemas";
import { normalizeTransition } from "./status";
import type { Instance, SettingsPatch, WorldPatch, WorldSettings } from "./types";

type Upsertable = keyof NonNullable<WorldPatch["upsert"]>;
type Removable = keyof NonNullable<WorldPatch["remove"]>;

/** What names each kind of entity, and the schema a changed or new one must still satisfy whole. */
const KINDS = {
  vpcs: { schema: vpcSchema, idKey: "vpcId" },
  securityGroups: { schema: securityGroupSchema, idKey: "securityGroupId" },
  instances: { schema: instanceSchema, idKey: "instanceId" },
  networkInterfaces: { schema: networkInterfaceSchema, idKey: "networkInterfaceId" },
} as const;
const UPSERTABLE = Object.keys(KINDS) as Upsertable[];
const REMOVABLE: readonly Removable[] = ["securityGroups", "instances", "networkInterfaces"];

/** Entity lists as plain records while the patch is applied; the whole-entity schemas make them Entities again. */
type Lists = Record<keyof Entities, Record<string, unknown>[]>;

export function mergeSettings(base: WorldSettings, patch: SettingsPatch): WorldSettings {
  return { ...base, ...patch, statusDelaysMs: { ...base.statusDelaysMs, ...patch.statusDelaysMs } };
}

/**
 * Applies an out-of-band change (the admin endpoint's world patch) to copies of the entities and returns the new world.
 * Removals come first, then settings, then upserts; the result must keep every invariant of a seed, or nothing changes.
 */
export function patchWorld(current: Entities, settings: WorldSettings, json: unknown, now: number): { entities: Entities; settings: WorldSettings } {
  const patch = parseOrFail(patchSchema, json, "patch");
  const lists = current as unknown as Lists;
  const next: Lists = {
    accessKeys: [...lists.accessKeys],
    vpcs: [...lists.vpcs],
    securityGroups: [...lists.securityGroups],
    instances: [...lists.instances],
    networkInterfaces: [...lists.networkInterfaces],
  };
  // Every problem of the patch at once (up to a bound), as for a seed: removals, then upserts, then groups still in use.
  const problems = new Problems();
  if (patch.remove !== undefined) applyRemovals(next, patch.remove, problems);
  const newSettings = patch.settings === undefined ? settings : mergeSettings(settings, patch.settings);
  if (patch.upsert !== undefined) applyUpserts(next, patch.upsert, problems);
  if (patch.remove?.securityGroups !== undefined) groupsStillInUse(next, patch.remove.securityGroups, problems);
  problems.throwIfAny();
  const entities = next as unknown as Entities;
  for (const instance of entities.instances) normalizeTransition(instance, now, newSettings);
  checkIntegrity(entities);
  return { entities, settings: newSettings };
}

function applyRemovals(world: Lists, remove: NonNullable<WorldPatch["remove"]>, problems: Problems): void {
  for (const kind of REMOVABLE) {
    const { idKey } = KINDS[kind];
    remove[kind]?.forEach((id, i) => {
      const index = world[kind].findIndex((entity) => entity[idKey] === id);
      if (index < 0) problems.add(`patch.remove.${kind}[${i}]`, `no such ID ${id}`);
      else world[kind].splice(index, 1);
    });
  }
  // A removed instance leaves its secondary ENIs behind, detached, as DeleteInstance does.
  const instanceIds = new Set(world.instances.map((i) => i.instanceId));
  world.networkInterfaces = world.networkInterfaces.map((eni) =>
    typeof eni.instanceId === "string" && !instanceIds.has(eni.instanceId) ? { ...eni, instanceId: null } : eni,
  );
}

/** How many users of a group a message names; the rest are counted. */
const USERS_NAMED = 5;

/**
 * A removed group that a target still lists (after the patch's own upserts, which may take it out) is named with its
 * users, in the patch's terms, rather than left to the invariants, which would blame the target for a missing group.
 */
function groupsStillInUse(world: Lists, removed: readonly string[], problems: Problems): void {
  removed.forEach((id, i) => {
    const users = [...world.instances, ...world.networkInterfaces]
      .filter((target) => Array.isArray(target.securityGroupIds) && target.securityGroupIds.includes(id))
      .map((target) => String(target.networkInterfaceId ?? target.instanceId));
    if (users.length === 0) return;
    const named = users.slice(0, USERS_NAMED).join(", ") + (users.length > USERS_NAMED ? ` and ${users.length - USERS_NAMED} more` : "");
    problems.add(
      `patch.remove.securityGroups[${i}]`,
      `${id} is in use by ${named}: take it out of their securityGroupIds in the same patch (upsert), or remove them too`,
    );
  });
}

function applyUpserts(world: Lists, upsert: NonNullable<WorldPatch["upsert"]>, problems: Problems): void {
  for (const kind of UPSERTABLE) {
    const { schema, idKey } = KINDS[kind];
    const list = world[kind];
    upsert[kind]?.forEach((item, i) => {
      const path = `patch.upsert.${kind}[${i}]`;
      const fields = definedFields(item);
      const id = fields[idKey];
      if (id === undefined) return problems.add(`${path}.${idKey}`, "is required to say which entity to change or create");
      const index = list.findIndex((entity) => entity[idKey] === id);
      const merged = addParseProblems(problems, schema, { ...(index < 0 ? {} : list[index]), ...fields }, path) as
        Record<string, unknown> | undefined;
      if (merged === undefined) return;
      if (kind === "instances") restartTransitionOnStatusChange(merged as Instance, fields);
      if (index < 0) list.push(merged);
      else list[index] = merged;
    });
  }
}

/** A field given as undefined (or left out) keeps the entity's value. */
function definedFields(item: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}

/** A patched status without its own end time starts a fresh transition (normalizeTransition then sets now + delay). */
function restartTransitionOnStatusChange(instance: Instance, fields: Record<string, unknown>): void {
  if (fields.status !== undefined && fields.transitionEndsAt === undefined) delete instance.transitionEndsAt;
}
