import type { Seed, World } from "../models";
import type { FaultInjector } from "../faults/fault-injector";
import type { FaultRule } from "../faults/fault-rules";
import { SaveError, writeFileDurably } from "./state-file";

/**
 * The emulator's whole state (the world plus the fault settings in force) and, with --state, its file. A change is
 * published only once it is saved: memory, file and the answer to the client always agree, even when a write fails.
 */
export class StateKeeper {
  constructor(
    private readonly world: World,
    private readonly faults: FaultInjector,
    private readonly statePath: string | undefined,
  ) {}

  /** What GET /_emulator/state shows and what --state saves. */
  state(): Seed {
    const { rules, rngSeed } = this.faults.settings();
    return { ...this.world.snapshot(), faults: rules, rngSeed };
  }

  /** Carries out a change of the world and saves it; when the save fails, the change is undone and SaveError thrown. */
  commit<T>(change: () => T): T {
    if (this.statePath === undefined) return change();
    return this.world.atomically(change, () => this.save(this.state()));
  }

  /** Saves the state with the new fault settings, then puts them in force; a failed save leaves the old ones. */
  replaceFaults(rules: FaultRule[], rngSeed?: number): void {
    this.save({ ...this.world.snapshot(), faults: rules, rngSeed: rngSeed ?? this.faults.settings().rngSeed });
    this.faults.replace(rules, rngSeed);
  }

  saveNow(): void {
    this.save(this.state());
  }

  private save(state: Seed): void {
    if (this.statePath === undefined) return;
    try {
      writeFileDurably(this.statePath, JSON.stringify(state, null, 2));
    } catch (error) {
      throw new SaveError(this.statePath, error);
    }
  }
}
