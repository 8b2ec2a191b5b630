import type { AccessKey, Clock } from "./contract";
import { IdGenerator, type IdKind } from "./ids";
import type { Entities } from "./integrity";
import { settle } from "./status";
import type { Instance, NetworkInterface, SecurityGroup, Vpc, WorldSettings } from "./types";
import { GroupListHistory } from "./visibility";

/** The world's mutable data, keyed by ID in insertion order (which is the order Describe* lists them in). */
export class Store {
  readonly accessKeys = new Map<string, AccessKey>();
  readonly vpcs = new Map<string, Vpc>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly instances = new Map<string, Instance>();
  readonly networkInterfaces = new Map<string, NetworkInterface>();
  private history = new GroupListHistory();

  constructor(
    readonly clock: Clock,
    public settings: WorldSettings,
    public ids: IdGenerator,
    entities: Entities,
  ) {
    this.load(entities);
  }

  now(): number {
    return this.clock.now();
  }

  /** Replaces every entity (from a seed or a validated patch). Entities are copied: callers keep theirs. */
  load(entities: Entities): void {
    fill(this.accessKeys, entities.accessKeys, (k) => k.accessKeyId);
    fill(this.vpcs, entities.vpcs, (v) => v.vpcId);
    fill(this.securityGroups, entities.securityGroups, (g) => g.securityGroupId);
    fill(this.instances, entities.instances, (i) => i.instanceId);
    fill(this.networkInterfaces, entities.networkInterfaces, (n) => n.networkInterfaceId);
  }

  /** Deep copies, in insertion order, with every due status transition applied. */
  entities(): Entities {
    this.settleAll();
    return {
      accessKeys: copyAll(this.accessKeys),
      vpcs: copyAll(this.vpcs),
      securityGroups: copyAll(this.securityGroups),
      instances: copyAll(this.instances),
      networkInterfaces: copyAll(this.networkInterfaces),
    };
  }

  /** Remembers everything (entities, settings, ID counter, past group lists); the function it returns puts it all back. */
  checkpoint(): () => void {
    const entities = this.entities();
    const settings = structuredClone(this.settings);
    const counter = this.ids.counter;
    const history = this.history.copy();
    return () => {
      this.load(entities);
      this.settings = settings;
      this.ids = new IdGenerator(counter);
      this.history = history;
    };
  }

  settleAll(): void {
    const now = this.now();
    for (const instance of this.instances.values()) settle(instance, now);
  }

  /** Runs a change and notes which group lists it changed, for settings.readAfterWriteLagMs. */
  recordingGroupChanges<T>(change: () => T): T {
    if (this.settings.readAfterWriteLagMs === 0) return change();
    const before = this.groupLists();
    const result = change();
    this.history.record(before, this.groupLists(), this.now(), this.settings.readAfterWriteLagMs);
    return result;
  }

  /** A target's group list as Describe* show it, readAfterWriteLagMs behind the true one; `targetId` is the instance ID
   *  for a primary list, the ENI ID for a secondary ENI's. */
  shownGroupIds(targetId: string, current: readonly string[]): readonly string[] {
    return this.history.shown(targetId, current, this.now(), this.settings.readAfterWriteLagMs);
  }

  /** The instance whose primary ENI this is, if it is one. */
  primaryOwner(networkInterfaceId: string): Instance | undefined {
    for (const instance of this.instances.values()) if (instance.primaryNetworkInterfaceId === networkInterfaceId) return instance;
    return undefined;
  }

  /** Every group list by its target's ID: instances (primary lists) and secondary ENIs. */
  private groupLists(): Map<string, readonly string[]> {
    const lists = new Map<string, readonly string[]>();
    for (const instance of this.instances.values()) lists.set(instance.instanceId, [...instance.securityGroupIds]);
    for (const eni of this.networkInterfaces.values()) lists.set(eni.networkInterfaceId, [...eni.securityGroupIds]);
    return lists;
  }

  newId(kind: IdKind): string {
    return this.ids.issue(kind, (id) => this.isTaken(id));
  }

  private isTaken(id: string): boolean {
    return (
      this.vpcs.has(id) ||
      this.securityGroups.has(id) ||
      this.instances.has(id) ||
      this.networkInterfaces.has(id) ||
      this.primaryOwner(id) !== undefined
    );
  }
}

function fill<T>(map: Map<string, T>, items: readonly T[], key: (item: T) => string): void {
  map.clear();
  for (const item of items) map.set(key(item), structuredClone(item));
}

function copyAll<T>(map: Map<string, T>): T[] {
  return [...map.values()].map((item) => structuredClone(item));
}
