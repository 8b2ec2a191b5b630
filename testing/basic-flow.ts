/**
 * The demo's story on the basic example, as checked steps: up, a membership removed out of band, preview shows the
 * drift, up restores it (telling the drift once), refresh, destroy. `npm run demo` prints it; the e2e tests run the same steps and assert more.
 */
import * as path from "path";
import { emulatorAdmin, type EmulatorStats } from "../emulator";
import { ecsRpcClient } from "./ecs-rpc-client";
import { membershipDeviations, membershipsOf, type Memberships } from "./memberships";
import { REPO_ROOT } from "./pulumi-cli";
import { diagnosticsByResource, runSummary } from "./pulumi-output";
import type { Credentials } from "./credentials";
import type { PreviewStep, ThrowawayStack } from "./throwaway-stack";

export const BASIC_SEED = path.join(REPO_ROOT, "examples", "basic", "seed.json");
const EXTRA_GROUP = "sg-bp1dbclients";
const DRIFTING = { instanceId: "i-bp1web01", resourceName: "web-extra-group" };

export interface StepRecord {
  step: string;
  /** What the CLI reported, where the memberships alone do not tell the story. */
  detail?: string;
  memberships: Memberships;
  /** The emulator's request counts per action, cumulative. */
  stats: EmulatorStats;
}

export class FlowDeviation extends Error {
  constructor(step: string, problems: string[]) {
    super(`${step}: ${problems.join("; ")}`);
    this.name = "FlowDeviation";
  }
}

export interface FlowContext {
  stack: ThrowawayStack;
  emulatorUrl: string;
  credentials: Credentials;
  onStep?: (record: StepRecord) => void;
}

function withExtraGroup(initial: Memberships, targets: string[]): Memberships {
  return Object.fromEntries(targets.map((target) => [target, [...(initial[target] ?? []), EXTRA_GROUP]]));
}

/** "update web-extra-group, …": each planned step with the resource's name. */
function describePlan(steps: PreviewStep[]): string {
  return steps.map((step) => `${step.op} ${step.urn.split("::").at(-1)}`).join(", ") || "no changes";
}

/** The warning the provider gives the drifted membership, once in a run (and nothing else against any resource). */
const DRIFT_WARNING = `warning: drift: ${DRIFTING.instanceId} is no longer in security group ${EXTRA_GROUP}; an update will rejoin it`;

/** What the demo prints of the `pulumi up` that restores the membership must show its drift once. */
function driftToldOnce(output: string): string[] {
  const shown = runSummary(output);
  const told = diagnosticsByResource(shown);
  const once = shown.split(DRIFT_WARNING).length === 2 && JSON.stringify(told) === JSON.stringify({ [DRIFTING.resourceName]: DRIFT_WARNING });
  return once ? [] : [`up showed ${JSON.stringify(told)}; expected the drift warning once, against ${DRIFTING.resourceName} alone`];
}

/** The drift must show as exactly one planned update, of the membership removed out of band. */
function driftDeviations(steps: PreviewStep[]): string[] {
  const ok = steps.length === 1 && steps[0]!.op === "update" && steps[0]!.urn.endsWith(`::${DRIFTING.resourceName}`);
  return ok ? [] : [`preview planned ${describePlan(steps)}; expected one update of ${DRIFTING.resourceName}`];
}

export async function runBasicFlow(context: FlowContext): Promise<StepRecord[]> {
  const { stack, emulatorUrl } = context;
  const admin = emulatorAdmin(emulatorUrl);
  const records: StepRecord[] = [];
  const record = async (step: string, expected: Memberships, extraProblems: string[] = [], detail?: string): Promise<void> => {
    const state = await admin.state();
    const stats = await admin.stats();
    const entry: StepRecord = { step, detail, memberships: membershipsOf(state), stats };
    records.push(entry);
    context.onStep?.(entry);
    const problems = [...extraProblems, ...membershipDeviations(entry.memberships, expected)];
    if (problems.length > 0) throw new FlowDeviation(step, problems);
  };

  const initial = membershipsOf(await admin.state());
  const instances = ["i-bp1web01", "i-bp1app01"];
  const joined = withExtraGroup(initial, instances);
  await record("before: the seed world", initial);

  await stack.up();
  await record("pulumi up: both instances joined db-clients", joined);

  await ecsRpcClient(emulatorUrl, context.credentials).request(
    "LeaveSecurityGroup",
    { RegionId: "cn-hangzhou", InstanceId: DRIFTING.instanceId, SecurityGroupId: EXTRA_GROUP },
    { method: "POST" },
  );
  const drifted = { ...joined, [DRIFTING.instanceId]: initial[DRIFTING.instanceId]! };
  await record(`out of band: LeaveSecurityGroup ${DRIFTING.instanceId} ${EXTRA_GROUP}`, drifted);

  const planned = await stack.preview();
  await record("pulumi preview: shows the drift, changes nothing", drifted, driftDeviations(planned), `planned: ${describePlan(planned)}`);

  const restored = await stack.up();
  await record("pulumi up: the membership is restored", joined, driftToldOnce(restored.stdout));

  await stack.refresh();
  await record("pulumi refresh: nothing changes", joined);

  await stack.destroy();
  await record("pulumi destroy: memberships gone, original groups kept", initial);
  return records;
}
