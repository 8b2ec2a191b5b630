import type { FaultKind, FaultRule } from "./fault-rules";
import { seededRandom } from "./rng";

export type TerminalFault = { kind: Exclude<FaultKind, "latency">; code?: string; applyAfterMs?: number };

export interface FaultDecision {
  latencyMs: number;
  fault?: TerminalFault;
  /** The rules that fired, by their 1-based place in the rules, as `#2 throttling` (for the console's request log). */
  fired: string[];
}

export interface FaultSettings {
  rules: FaultRule[];
  rngSeed: number;
}

const DEFAULT_RNG_SEED = 1;

/** Decides, per request, which fault rules fire. Latency rules add up; the first other rule that fires ends the request. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private rngSeed = DEFAULT_RNG_SEED;
  private random = seededRandom(DEFAULT_RNG_SEED);

  constructor(rules: FaultRule[] = [], rngSeed?: number) {
    this.replace(rules, rngSeed);
  }

  /** Replacing the rules restarts the RNG, so the same rules and seed give the same schedule. */
  replace(rules: FaultRule[], rngSeed?: number): void {
    this.rules = rules.map((rule) => ({ ...rule }));
    this.rngSeed = rngSeed ?? this.rngSeed;
    this.random = seededRandom(this.rngSeed);
  }

  settings(): FaultSettings {
    return { rules: this.rules.map((rule) => ({ ...rule })), rngSeed: this.rngSeed };
  }

  decide(action: string, target: string | undefined): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, fired: [] };
    for (const [index, rule] of this.rules.entries()) {
      if (decision.fault && rule.kind !== "latency") continue;
      if (!this.fires(rule, action, target)) continue;
      decision.fired.push(`#${index + 1} ${rule.kind}`);
      if (rule.kind === "latency") decision.latencyMs += rule.latencyMs ?? 0;
      else decision.fault = { kind: rule.kind, code: rule.code, applyAfterMs: rule.applyAfterMs };
    }
    return decision;
  }

  private fires(rule: FaultRule, action: string, target: string | undefined): boolean {
    if (rule.action !== "*" && rule.action !== action) return false;
    if (rule.target !== undefined && rule.target !== target) return false;
    if (rule.times !== undefined && rule.times <= 0) return false;
    if (this.random() >= (rule.probability ?? 1)) return false;
    if (rule.times !== undefined) rule.times -= 1;
    return true;
  }
}
