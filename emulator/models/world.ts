import type { AccessKey, ActionSpec, Clock } from "./contract";
import { describeActions } from "./actions/describe";
import { instanceActions } from "./actions/instances";
import { membershipActions } from "./actions/membership";
import { securityGroupActions } from "./actions/securityGroups";
import { checkFlowControlActions, DEFAULT_ACCOUNT, FlowControl } from "./flow-control";
import { IdGenerator } from "./ids";
import { mergeSettings, patchWorld } from "./patch";
import { parseSeed } from "./seed";
import { normalizeTransition } from "./status";
import { Store } from "./store";
import { DEFAULT_SETTINGS, type Seed, type WorldSettings } from "./types";

const systemClock: Clock = { now: () => Date.now() };

/** The emulated ECS account: its entities, its rules (as actions) and its settings. Knows nothing of HTTP. */
export class World {
  readonly actions: Readonly<Record<string, ActionSpec>>;
  private readonly flowControl: FlowControl;

  private constructor(
    private readonly store: Store,
    private readonly passThrough: Pick<Seed, "faults" | "rngSeed">,
  ) {
    const table = { ...membershipActions(store), ...describeActions(store), ...instanceActions(store), ...securityGroupActions(store) };
    this.actions = Object.freeze(Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, this.settlingFirst(spec)])));
    this.flowControl = new FlowControl(store.clock);
  }

  /** Validates the seed as parseSeed does (a seed built in code gets the same clear errors) and never aliases it. */
  static fromSeed(untrusted: Seed, clock: Clock = systemClock): World {
    const seed = parseSeed(untrusted);
    const settings = mergeSettings(DEFAULT_SETTINGS, seed.settings ?? {});
    const store = new Store(clock, settings, new IdGenerator(seed.idCounter ?? 1), seed);
    for (const instance of store.instances.values()) normalizeTransition(instance, clock.now(), settings);
    const world = new World(store, { faults: seed.faults, rngSeed: seed.rngSeed });
    checkFlowControlActions(settings.flowControl, new Set(Object.keys(world.actions)), "settings");
    return world;
  }

  get settings(): WorldSettings {
    return structuredClone(this.store.settings);
  }

  findAccessKey(accessKeyId: string): AccessKey | undefined {
    const key = this.store.accessKeys.get(accessKeyId);
    return key && { ...key };
  }

  /** ECS's flow control, checked once the caller is known: counts the call against its account's quota for the action
   *  in the region, or throws Throttling.User when this window's is spent. */
  admitCall(accessKeyId: string, action: string, regionId: string): void {
    const account = this.store.accessKeys.get(accessKeyId)?.account ?? DEFAULT_ACCOUNT;
    this.flowControl.admit(this.store.settings, { account, regionId, action });
  }

  /** Everything needed to restart where the world stands, including transitions still under way and the ID counter. */
  snapshot(): Seed {
    const seed: Seed = { ...this.store.entities(), settings: this.settings, idCounter: this.store.ids.counter };
    if (this.passThrough.faults !== undefined) seed.faults = structuredClone(this.passThrough.faults);
    if (this.passThrough.rngSeed !== undefined) seed.rngSeed = this.passThrough.rngSeed;
    return seed;
  }

  /** Validates the whole patch before changing anything: a bad patch throws and leaves the world as it was. */
  applyPatch(patch: unknown): void {
    const result = patchWorld(this.store.entities(), this.store.settings, patch, this.store.now());
    checkFlowControlActions(result.settings.flowControl, new Set(Object.keys(this.actions)), "patch.settings");
    if (result.settings.flowControlWindowMs !== this.store.settings.flowControlWindowMs) this.flowControl.reset();
    this.store.recordingGroupChanges(() => {
      this.store.settings = result.settings;
      this.store.load(result.entities);
    });
  }

  /**
   * Runs `change` (an action or a patch), then `save`. If either throws, the world is put back exactly as it was, so a
   * change that could not be saved is never seen by anyone.
   */
  atomically<T>(change: () => T, save: () => void): T {
    const restore = this.store.checkpoint();
    try {
      const result = change();
      save();
      return result;
    } catch (error) {
      restore();
      throw error;
    }
  }

  /** Status transitions are lazy: every action first brings the world up to the clock. */
  private settlingFirst(spec: ActionSpec): ActionSpec {
    return {
      mutating: spec.mutating,
      run: (params) => {
        this.store.settleAll();
        return spec.mutating ? this.store.recordingGroupChanges(() => spec.run(params)) : spec.run(params);
      },
    };
  }
}
