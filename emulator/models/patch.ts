import { checkIntegrity, type Entities } from "./integrity";
import { instanceSchema, mergeSettings, networkInterfaceSchema, parseSettings, securityGroupSchema, vpcSchema } from "./schemas";
import { normalizeTransition } from "./status";
import type { Instance, WorldSettings } from "./types";
import { arrayOf, checkFields, checkKeys, fail, isObject, isString, requireAll, type EntitySchema } from "./validate";

type Upsertable = "vpcs" | "securityGroups" | "instances" | "networkInterfaces";
type Removable = "securityGroups" | "instances" | "networkInterfaces";

const UPSERTS: Record<Upsertable, { schema: EntitySchema; idKey: string }> = {
  vpcs: { schema: vpcSchema, idKey: "vpcId" },
  securityGroups: { schema: securityGroupSchema, idKey: "securityGroupId" },
  instances: { schema: instanceSchema, idKey: "instanceId" },
  networkInterfaces: { schema: networkInterfaceSchema, idKey: "networkInterfaceId" },
};
const REMOVABLE: readonly Removable[] = ["securityGroups", "instances", "networkInterfaces"];

/** Entity lists as plain records while the patch is applied; checked fields make them Entities again. */
type Lists = Record<keyof Entities, Record<string, unknown>[]>;

/**
 * Applies an out-of-band change (the admin endpoint's world patch) to copies of the entities and returns the new world.
 * Removals come first, then upserts, then settings; the result must keep every invariant of a seed, or nothing changes.
 */
export function patchWorld(current: Entities, settings: WorldSettings, patch: unknown, now: number): { entities: Entities; settings: WorldSettings } {
  const raw = isObject(patch, "patch");
  checkKeys(raw, ["upsert", "remove", "settings"], "patch");
  const lists = current as unknown as Lists;
  const next: Lists = {
    accessKeys: [...lists.accessKeys],
    vpcs: [...lists.vpcs],
    securityGroups: [...lists.securityGroups],
    instances: [...lists.instances],
    networkInterfaces: [...lists.networkInterfaces],
  };
  if (raw.remove !== undefined) applyRemovals(next, raw.remove);
  const newSettings = raw.settings === undefined ? settings : mergeSettings(settings, parseSettings(raw.settings, "patch.settings"));
  if (raw.upsert !== undefined) applyUpserts(next, raw.upsert);
  const entities = next as unknown as Entities;
  for (const instance of entities.instances) normalizeTransition(instance, now, newSettings);
  checkIntegrity(entities);
  return { entities, settings: newSettings };
}

function applyRemovals(world: Lists, value: unknown): void {
  const remove = isObject(value, "patch.remove");
  checkKeys(remove, REMOVABLE, "patch.remove");
  for (const kind of REMOVABLE) {
    if (remove[kind] === undefined) continue;
    const { idKey } = UPSERTS[kind];
    arrayOf(isString)(remove[kind], `patch.remove.${kind}`).forEach((id, i) => {
      const index = world[kind].findIndex((entity) => entity[idKey] === id);
      if (index < 0) fail(`patch.remove.${kind}[${i}]`, `no such ID ${id}`);
      world[kind].splice(index, 1);
    });
  }
  // A removed instance leaves its secondary ENIs behind, detached, as DeleteInstance does.
  const instanceIds = new Set(world.instances.map((i) => i.instanceId));
  world.networkInterfaces = world.networkInterfaces.map((eni) =>
    typeof eni.instanceId === "string" && !instanceIds.has(eni.instanceId) ? { ...eni, instanceId: null } : eni,
  );
}

function applyUpserts(world: Lists, value: unknown): void {
  const upsert = isObject(value, "patch.upsert");
  checkKeys(upsert, Object.keys(UPSERTS), "patch.upsert");
  for (const kind of Object.keys(UPSERTS) as Upsertable[]) {
    if (upsert[kind] === undefined) continue;
    const { schema, idKey } = UPSERTS[kind];
    const list = world[kind];
    arrayOf((item, path) => ({ fields: checkFields(schema, item, path), path }))(upsert[kind], `patch.upsert.${kind}`).forEach(({ fields, path }) => {
      const id = fields[idKey] ?? fail(`${path}.${idKey}`, "is required to say which entity to change or create");
      const index = list.findIndex((entity) => entity[idKey] === id);
      const merged = { ...(index < 0 ? {} : structuredClone(list[index])), ...fields };
      requireAll(schema, merged, path);
      if (kind === "instances") restartTransitionOnStatusChange(merged as unknown as Instance, fields);
      if (index < 0) list.push(merged);
      else list[index] = merged;
    });
  }
}

/** A patched status without its own end time starts a fresh transition (normalizeTransition then sets now + delay). */
function restartTransitionOnStatusChange(instance: Instance, fields: Record<string, unknown>): void {
  if (fields.status !== undefined && fields.transitionEndsAt === undefined) delete instance.transitionEndsAt;
}
