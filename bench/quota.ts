/**
 * How the provider keeps to the account's ECS quota: N memberships (I instances × 5 groups) through the real Pulumi
 * CLI, with the package packed and installed into a fresh project as users install it, against the ECS emulator (in
 * its own process) enforcing ECS's flow control on JoinSecurityGroup: Q calls per window for the account. One stack,
 * then three at once over disjoint instances (one account, so they share Q); the quota unknown to the provider (it
 * learns it from refusals), then stated (`alicloud-sg-membership:apiQuota`, each of k stacks leaving the others their
 * share with `apiQuotaReserve` = 1 − 1/k). Per run: windows used against those the quota needs (ceil(N/Q)), refused
 * Joins as a share of those that passed, ECS calls per membership, failed `pulumi up`s, and the world after. Takes
 * real minutes: a window is a calendar minute unless --window-ms shortens it (the provider is then told the same,
 * through SG_MEMBERSHIP_QUOTA_WINDOW_MS). Exits non-zero if the world is not what the stacks declared.
 *
 *   npm run bench:quota -- [--memberships 300] [--quota 100] [--window-ms 60000]
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { emulatorAdmin, type EmulatorAdminClient, type Seed } from "../emulator";
import { QUOTA_WINDOW_ENV, MINUTE_MS } from "../provider/calls/account-quota";
import { QUOTA_CONFIG_KEY, QUOTA_RESERVE_CONFIG_KEY } from "../provider/membership/quota-settings";
import { createConsumerProject, packPackage } from "../testing/consumer-project";
import { membershipsOf } from "../testing/memberships";
import { startEmulatorProcess } from "../testing/processes";
import { locatePulumi } from "../testing/pulumi-cli";
import { ThrowawayStack } from "../testing/throwaway-stack";
import { fleetSeed } from "./fleet-world";
import { parseOptions, printTable } from "./table";

const USAGE = "Usage: npm run bench:quota -- [--memberships 300] [--quota 100] [--window-ms 60000]";

const KEY = { accessKeyId: "LTAI5tQuotaBench0001", accessKeySecret: "quota-bench-secret" };
const REGION = "cn-hangzhou";
const VPC = "vpc-bp1quota";
const BASE_GROUP = "sg-bp1quotabase";
const GROUPS = [1, 2, 3, 4, 5].map((n) => `sg-bp1quota${n}`);
const PROJECT = "sg-quota-bench";
const JOIN = "JoinSecurityGroup";

const instanceId = (n: number) => `i-bp1quota${String(n).padStart(4, "0")}`;

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const { SecurityGroupMembership } = require("pulumi-alicloud-sg-membership");

const config = new pulumi.Config();
for (const instanceId of config.requireObject("instances")) {
  for (const securityGroupId of config.requireObject("groups")) {
    new SecurityGroupMembership(instanceId + "-in-" + securityGroupId, { instanceId, securityGroupId, regionId: "${REGION}" });
  }
}
`;

function seed(instances: string[], quota: number, windowMs: number): Seed {
  const fleet = { key: KEY, vpc: VPC, baseGroup: BASE_GROUP, groups: GROUPS, instances, latencyMs: 0 };
  return fleetSeed(fleet, { flowControl: { [JOIN]: quota }, flowControlWindowMs: windowMs });
}

interface Scenario {
  stacks: number;
  stated: boolean;
}

interface Outcome {
  windows: number;
  passed: number;
  refused: number;
  calls: number;
  failures: number;
  wrong: number;
}

/** Splits the instances into `parts` disjoint runs, as many as the stacks. */
function split<T>(items: T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}

interface Setup {
  project: string;
  endpoint: string;
  admin: EmulatorAdminClient;
  instances: string[];
  quota: number;
  windowMs: number;
}

/** `pulumi up` of the scenario's stacks at once, measured; then a destroy (Leaves are not limited) for the next one. */
async function run(setup: Setup, scenario: Scenario): Promise<Outcome> {
  const reserve = 1 - 1 / scenario.stacks;
  const stated: Record<string, string> = scenario.stated
    ? { [QUOTA_CONFIG_KEY]: `${JOIN}=${setup.quota}`, [QUOTA_RESERVE_CONFIG_KEY]: reserve.toFixed(4) }
    : {};
  const env = setup.windowMs === MINUTE_MS ? undefined : { [QUOTA_WINDOW_ENV]: String(setup.windowMs) };
  const shares = split(setup.instances, scenario.stacks);
  const stacks = await Promise.all(
    shares.map((instances, i) =>
      ThrowawayStack.create({
        name: `quota-${scenario.stacks}-${scenario.stated ? "stated" : "unknown"}-${i}-${process.pid}`,
        projectDir: setup.project,
        endpoint: setup.endpoint,
        credentials: KEY,
        env,
        config: { [`${PROJECT}:instances`]: JSON.stringify(instances), [`${PROJECT}:groups`]: JSON.stringify(GROUPS), ...stated },
      }),
    ),
  );
  try {
    const window = () => Math.floor(Date.now() / setup.windowMs);
    // Each scenario starts with a window of its own: the last Joins of the one before may have spent part of the window
    // it ended in, which would be another caller of the account, not what this scenario measures.
    await new Promise((resolve) => setTimeout(resolve, (window() + 1) * setup.windowMs - Date.now() + 10));
    await setup.admin.resetStats();
    const first = window();
    const results = await Promise.all(stacks.map((stack) => stack.up({ allowFailure: true })));
    const windows = window() - first + 1;
    const stats = await setup.admin.stats();
    const held = membershipsOf(await setup.admin.state());
    const expected = [BASE_GROUP, ...GROUPS].sort().join(",");
    const refused = stats.refused[JOIN] ?? 0;
    const outcome: Outcome = {
      windows,
      passed: (stats.actions[JOIN] ?? 0) - refused,
      refused,
      calls: stats.total,
      failures: results.filter((result) => result.code !== 0).length,
      wrong: setup.instances.filter((id) => held[id]?.join(",") !== expected).length,
    };
    await Promise.all(stacks.map((stack) => stack.destroy()));
    return outcome;
  } finally {
    for (const stack of stacks) stack.remove();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { memberships: 300, quota: 100, windowMs: MINUTE_MS }, { usage: USAGE });
  if (options.windowMs < 100 || options.windowMs > MINUTE_MS) throw new Error(`--window-ms must be from 100 to ${MINUTE_MS}\n${USAGE}`);
  locatePulumi();
  const instances = Array.from({ length: Math.ceil(options.memberships / GROUPS.length) }, (_, i) => instanceId(i + 1));
  const memberships = instances.length * GROUPS.length;
  const needed = Math.ceil(memberships / options.quota);
  const work = mkdtempSync(path.join(tmpdir(), "sgm-bench-quota-"));
  const seedPath = path.join(work, "seed.json");
  writeFileSync(seedPath, JSON.stringify(seed(instances, options.quota, options.windowMs)));
  console.log(
    `bench:quota: ${instances.length} instances × ${GROUPS.length} groups = ${memberships} memberships, ` +
      `the account's ${JOIN} quota ${options.quota} a ${options.windowMs} ms window`,
  );
  const project = createConsumerProject({ name: PROJECT, tarball: packPackage(work), files: { "index.js": PROGRAM } });
  const emulator = await startEmulatorProcess(seedPath);
  const setup: Setup = {
    project: project.dir,
    endpoint: emulator.url,
    admin: emulatorAdmin(emulator.url),
    instances,
    quota: options.quota,
    windowMs: options.windowMs,
  };
  const rows: string[][] = [];
  let wrong = 0;
  try {
    for (const stated of [false, true]) {
      for (const stacks of [1, 3]) {
        const outcome = await run(setup, { stacks, stated });
        wrong += outcome.wrong;
        rows.push([
          `${stacks}`,
          stated ? `stated${stacks > 1 ? `, 1/${stacks} each` : ""}` : "unknown",
          `${outcome.windows} / ${needed}`,
          `${outcome.refused} / ${outcome.passed} (${((100 * outcome.refused) / Math.max(1, outcome.passed)).toFixed(1)}%)`,
          (outcome.calls / memberships).toFixed(2),
          `${outcome.failures}`,
          outcome.wrong === 0 ? "exact" : `${outcome.wrong} instances wrong`,
        ]);
      }
    }
    printTable(["stacks", "quota", "windows used / needed", "Joins refused / passed", "calls per membership", "failed ups", "world after up"], rows);
  } finally {
    await emulator.stop();
    project.remove();
    rmSync(work, { recursive: true, force: true });
  }
  if (wrong > 0) {
    console.error("bench:quota: the world is not what the stacks declared");
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
