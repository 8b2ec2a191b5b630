/**
 * The fault matrix: a fleet of memberships taken up and down through the real CLI while the emulator plays one kind of
 * trouble (ECS's errors, a network's, ECS's ambiguity and lag) or the CLI is killed outright at some moment, each
 * followed by the README's way back. A scenario converged when the world held exactly the declared memberships after
 * the update and exactly the original ones after the destroy, no membership the stack does not declare was touched,
 * and no target was ever left without a group. `npm run bench:faults` runs them all; tests/e2e/faults runs a few.
 */
import { emulatorAdmin, startEmulator, type FaultRule, type RunningEmulator, type Seed } from "../emulator";
import type { SettingsPatch } from "../emulator/models";
import { membershipDeviations, membershipsOf, type Memberships } from "./memberships";
import type { Credentials } from "./credentials";
import { describeMoment, killAt, type KillMoment } from "./kill-moments";
import type { ThrowawayStack } from "./throwaway-stack";

export interface FaultScenario {
  name: string;
  faults?: FaultRule[];
  settings?: SettingsPatch;
  /** Kill the CLI's whole process group during the update (or the destroy) at this moment. */
  kill?: { during: "up" | "destroy"; moment: KillMoment };
}

const SOME = 0.3;
const writes = (kind: FaultRule["kind"], extra: Partial<FaultRule> = {}): FaultRule[] =>
  ["JoinSecurityGroup", "LeaveSecurityGroup"].map((action) => ({ action, kind, probability: SOME, ...extra }) as FaultRule);
/** Slow writes, so a kill finds several in flight. */
const SLOW_WRITES: FaultRule[] = ["JoinSecurityGroup", "LeaveSecurityGroup"].map(
  (action) => ({ action, kind: "latency", latencyMs: 150 }) as FaultRule,
);
/** Kill moments: by the share of writes sent, and by the CLI's checkpoint writes (the third one, and one inside its .attrs rewrite). */
const KILL_MOMENTS: KillMoment[] = [
  { after: "writes", share: 0.1 },
  { after: "writes", share: 0.5 },
  { after: "writes", share: 0.9 },
  { after: "checkpoint-writes", count: 3 },
  { after: "checkpoint-writes", count: 8, emptyAttrs: true },
];
const kills = (during: "up" | "destroy"): FaultScenario[] =>
  KILL_MOMENTS.map((moment) => ({ name: `pulumi ${during} killed ${describeMoment(moment)}`, faults: SLOW_WRITES, kill: { during, moment } }));

export const FAULT_MATRIX: FaultScenario[] = [
  { name: "throttling (30% of all calls)", faults: [{ action: "*", kind: "throttling", probability: SOME }] },
  { name: "500 InternalError (30%)", faults: [{ action: "*", kind: "server-error", probability: SOME }] },
  { name: "503 ServiceUnavailable (30%)", faults: [{ action: "*", kind: "unavailable", probability: SOME }] },
  { name: "504 RequestTimeout (30%)", faults: [{ action: "*", kind: "timeout", probability: SOME }] },
  { name: "dropped connections (30%)", faults: [{ action: "*", kind: "drop", probability: SOME }] },
  { name: "proxy 502 pages (30%)", faults: [{ action: "*", kind: "bad-gateway", probability: SOME }] },
  { name: "conflict window (300 ms)", settings: { conflictWindowMs: 300 } },
  { name: "carried out, then 504 (30% of writes)", faults: writes("timeout-after-apply") },
  { name: "carried out, then dropped (30% of writes)", faults: writes("drop-after-apply") },
  { name: "504, carried out 200 ms later (30% of writes)", faults: writes("timeout-then-apply", { applyAfterMs: 200 }) },
  { name: "read-after-write lag (500 ms)", settings: { readAfterWriteLagMs: 500 } },
  ...kills("up"),
  ...kills("destroy"),
];

export const FAULT_RNG_SEED = 20261125;
const REGION = "cn-hangzhou";
const VPC = "vpc-bp1faults";
const BASE = "sg-bp1faultbase";
/** A group some instances are in that the stack does not declare: no run may touch it. */
const BYSTANDER = "sg-bp1bystander";
export const FAULT_KEY: Credentials = { accessKeyId: "LTAI5tFaultMatrix01", accessKeySecret: "fault-matrix-secret" };

export interface FaultWorld {
  seed: Seed;
  instances: string[];
  groups: string[];
  original: Memberships;
  declared: Memberships;
  /** The fleet example's stack config for this world. */
  config: Record<string, string>;
}

export function faultWorld(instanceCount: number, groupCount: number): FaultWorld {
  const instances = Array.from({ length: instanceCount }, (_, i) => `i-bp1fault${String(i + 1).padStart(2, "0")}`);
  const groups = Array.from({ length: groupCount }, (_, i) => `sg-bp1fault${i + 1}`);
  const startsWith = (index: number) => (index % 2 === 0 ? [BASE, BYSTANDER] : [BASE]);
  const seed = {
    accessKeys: [FAULT_KEY],
    vpcs: [{ vpcId: VPC, regionId: REGION }],
    securityGroups: [BASE, BYSTANDER, ...groups].map((securityGroupId) => ({
      securityGroupId,
      regionId: REGION,
      vpcId: VPC,
      securityGroupName: securityGroupId,
    })),
    instances: instances.map((instanceId, i) => ({
      instanceId,
      regionId: REGION,
      vpcId: VPC,
      status: "Running",
      securityGroupIds: startsWith(i),
      locked: false,
    })),
    networkInterfaces: [],
    settings: { maxSecurityGroupsPerTarget: groupCount + 2 },
  } as Seed;
  const original = Object.fromEntries(instances.map((id, i) => [id, [...startsWith(i)].sort()]));
  const declared = Object.fromEntries(instances.map((id, i) => [id, [...startsWith(i), ...groups].sort()]));
  const config = {
    "sg-membership-examples:fleetInstanceIds": JSON.stringify(instances),
    "sg-membership-examples:fleetGroupIds": JSON.stringify(groups),
  };
  return { seed, instances, groups, original, declared, config };
}

export interface ScenarioOutcome {
  converged: boolean;
  problems: string[];
  /** ECS requests by action over the whole scenario. */
  calls: Record<string, number>;
  seconds: number;
}

/** Starts `during`, kills the CLI's process group at the moment, then recovers as the README says: the one command. */
async function killAndRecover(
  stack: ThrowawayStack,
  emulator: RunningEmulator,
  world: FaultWorld,
  kill: NonNullable<FaultScenario["kill"]>,
): Promise<void> {
  await killAt(stack, emulator.url, kill.during, kill.moment, world.instances.length * world.groups.length);
  await stack.recover({ destroy: kill.during === "destroy" });
}

/** One scenario on a fresh world: up (or a killed up and the recovery), the check, destroy (or a killed one and the recovery), the check. */
export async function runScenario(
  stack: ThrowawayStack,
  emulator: RunningEmulator,
  world: FaultWorld,
  scenario: FaultScenario,
): Promise<ScenarioOutcome> {
  const admin = emulatorAdmin(emulator.url);
  const started = Date.now();
  const problems: string[] = [];
  const check = async (step: string, expected: Memberships) => {
    const held = membershipsOf(await admin.state());
    const deviations = membershipDeviations(held, expected);
    const groupless = Object.entries(held)
      .filter(([, groups]) => groups.length === 0)
      .map(([id]) => id);
    problems.push(...deviations.map((d) => `${step}: ${d}`), ...groupless.map((id) => `${step}: ${id} has no group`));
  };
  await admin.resetStats();
  if (scenario.settings) await admin.patch({ settings: scenario.settings });
  if (scenario.faults) await admin.setFaults(scenario.faults, FAULT_RNG_SEED);
  try {
    if (scenario.kill?.during === "up") await killAndRecover(stack, emulator, world, scenario.kill);
    else await stack.up();
    await check("after up", world.declared);
    if (scenario.kill?.during === "destroy") await killAndRecover(stack, emulator, world, scenario.kill);
    else await stack.destroy();
    await check("after destroy", world.original);
  } catch (error) {
    problems.push(
      String((error as Error).message)
        .split("\n")
        .slice(0, 8)
        .join("\n"),
    );
  }
  const calls = (await admin.stats()).actions;
  return { converged: problems.length === 0, problems, calls, seconds: (Date.now() - started) / 1000 };
}

/** A fresh emulator (in this process) holding the world. */
export function startFaultEmulator(world: FaultWorld): Promise<RunningEmulator> {
  return startEmulator({ seed: world.seed, port: 0 });
}
