/**
 * What `pulumi refresh` of many SecurityGroupMembership resources costs: the provider's read of N memberships next to
 * the naive way (one signed DescribeInstanceAttribute per membership, the baseline), against an ECS emulator in this
 * process that counts every ECS request. Then delete and create of memberships, with and without a throttling storm,
 * to show that retries converge and what they cost.
 *
 * The engine runs at most `--parallel` resource operations at once, by default 4 × GOMAXPROCS (pulumi
 * pkg/cmd/pulumi/operations/up.go, defaultParallel), so 8 on a 2-core machine: the baseline and the refresh-like rows use
 * that; the "all at once" rows show the provider's read coalescing when nothing holds the reads back.
 *
 *   npm run bench:provider -- [--instances N] [--parallel P] [--churn N] [--repeats R] [--rtt-ms MS] [--max-seconds S]
 */
import * as os from "node:os";
import RPCClient from "@alicloud/pop-core";
import type { FaultRule, Seed } from "../emulator";
import { SecurityGroupMembershipProvider, type MembershipOutputs } from "../provider";
import { startTestEmulator, type TestEmulator } from "../testing/test-emulator";
import { parseOptions, printTable } from "./table";

const USAGE =
  "Usage: npm run bench:provider -- [--instances 1000] [--parallel 4 × cores] [--churn 100] [--repeats 3] [--rtt-ms 20] [--max-seconds 50]";

const KEY = { accessKeyId: "LTAI5tBenchmark0002", accessKeySecret: "bench-secret" };
const REGION = "cn-hangzhou";
const VPC = "vpc-bp1bench";
/** Every instance is in both groups: reads look at READ_GROUP, delete and create move instances out of CHURN_GROUP and back. */
const READ_GROUP = "sg-bp1benchread";
const CHURN_GROUP = "sg-bp1benchchurn";
const THROTTLING: FaultRule = { action: "*", kind: "throttling", probability: 0.3 };
const FAULT_RNG_SEED = 20261125;

interface Options {
  instances: number;
  parallel: number;
  churn: number;
  /** Read rows are measured this often and the run with the median wall time is shown: other work on the machine is noise. */
  repeats: number;
  /** The latency injected per request for the second read comparison, standing in for the way to a real ECS endpoint. */
  rttMs: number;
  maxSeconds: number;
}

interface Outcome {
  /** Memberships found present (reads) or operations that succeeded (delete, create). */
  ok: number;
  firstError?: string;
}

interface Row extends Outcome {
  scenario: string;
  n: number;
  requests: number;
  wallMs: number;
}

/** The baseline and the provider's read of the same N memberships. */
interface ReadComparison {
  /** Under which conditions, e.g. "loopback". */
  label: string;
  baseline: Row;
  /** As many reads in flight as the engine allows (pulumi refresh). */
  paced: Row;
  /** Every read in flight at once: the most the coalescing can do. */
  burst: Row;
}

function instanceIds(count: number): string[] {
  return Array.from({ length: count }, (_v, i) => `i-bp1bench${String(i).padStart(5, "0")}`);
}

function benchSeed(instances: number): Seed {
  const inVpc = { regionId: REGION, vpcId: VPC };
  return {
    accessKeys: [KEY],
    vpcs: [{ vpcId: VPC, regionId: REGION }],
    securityGroups: [
      { securityGroupId: READ_GROUP, ...inVpc, securityGroupName: "read" },
      { securityGroupId: CHURN_GROUP, ...inVpc, securityGroupName: "churn" },
    ],
    instances: instanceIds(instances).map((instanceId) => ({
      instanceId,
      ...inVpc,
      status: "Running",
      securityGroupIds: [READ_GROUP, CHURN_GROUP],
      locked: false,
    })),
    networkInterfaces: [],
  };
}

/** Runs task(0..count-1) with at most `concurrency` in flight, starting none after `endsAt`; counts the tasks that resolved true. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<boolean>, endsAt: number): Promise<Outcome> {
  const outcome: Outcome = { ok: 0 };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      if (Date.now() > endsAt) {
        outcome.firstError ??= "the benchmark's time budget (--max-seconds) ran out";
        return;
      }
      try {
        if (await task(next++)) outcome.ok += 1;
      } catch (err) {
        // pop-core's messages end with the signed URL, which must never be printed.
        outcome.firstError ??= (err instanceof Error ? err.message : String(err)).replace(/https?:\/\/\S+/g, "<url>");
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, worker));
  return outcome;
}

async function measure(emulator: TestEmulator, scenario: string, n: number, run: () => Promise<Outcome>): Promise<Row> {
  await emulator.resetStats();
  const t0 = process.hrtime.bigint();
  const outcome = await run();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { scenario, n, requests: (await emulator.stats()).total, wallMs, ...outcome };
}

/** The run with the median wall time, unless a run fell short: then that run, so the failure is reported. */
async function measureMedian(emulator: TestEmulator, scenario: string, n: number, run: () => Promise<Outcome>, repeats: number): Promise<Row> {
  const rows: Row[] = [];
  for (let i = 0; i < repeats; i++) rows.push(await measure(emulator, scenario, n, run));
  return rows.find((r) => r.ok < n) ?? rows.sort((a, b) => a.wallMs - b.wallMs)[Math.floor(rows.length / 2)]!;
}

/** Everything one benchmark run needs: the world's IDs, the provider and a plain client, and the time left. */
class Bench {
  private readonly ids: string[];
  /** No reuse of earlier reads: every row's reads ask ECS, as a fresh `pulumi refresh` does; the rows measure batching. */
  private readonly provider = new SecurityGroupMembershipProvider({ recentStateMaxAgeMs: 0 });
  private readonly naiveClient: RPCClient;
  private readonly endsAt: number;

  constructor(
    private readonly emulator: TestEmulator,
    private readonly options: Options,
  ) {
    this.ids = instanceIds(options.instances);
    this.naiveClient = new RPCClient({ endpoint: emulator.url, apiVersion: "2014-05-26", ...KEY, opts: { timeout: 10_000 } });
    this.endsAt = Date.now() + options.maxSeconds * 1000;
  }

  async configure(): Promise<void> {
    // The provider's documented environment; nothing is passed through stack config.
    Object.assign(process.env, {
      ALIBABA_CLOUD_ECS_ENDPOINT: this.emulator.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: REGION,
    });
    const noStackConfig = {
      get: () => undefined,
      require: (key: string): string => {
        throw new Error(`no stack config in this benchmark (${key})`);
      },
    };
    await this.provider.configure({ config: noStackConfig });
  }

  /** Each operation's deadline is what is left of the run's budget, so the whole run stays bounded. */
  private membership(instanceId: string, securityGroupId: string): MembershipOutputs {
    const operationTimeoutSeconds = Math.max(1, Math.floor((this.endsAt - Date.now()) / 1000));
    return { instanceId, securityGroupId, regionId: REGION, operationTimeoutSeconds, securityGroupIds: [READ_GROUP, CHURN_GROUP] };
  }

  private async providerRead(instanceId: string): Promise<boolean> {
    const props = this.membership(instanceId, READ_GROUP);
    return (await this.provider.read(`${instanceId}:${READ_GROUP}`, props)).id !== "";
  }

  private async naiveRead(instanceId: string): Promise<boolean> {
    const answer = await this.naiveClient.request<{ SecurityGroupIds?: { SecurityGroupId?: string[] } }>("DescribeInstanceAttribute", {
      RegionId: REGION,
      InstanceId: instanceId,
    });
    return answer.SecurityGroupIds?.SecurityGroupId?.includes(READ_GROUP) ?? false;
  }

  async readComparison(n: number, label: string, repeats: number): Promise<ReadComparison> {
    const ids = this.ids.slice(0, n);
    const p = this.options.parallel;
    const run = (concurrency: number, read: (id: string) => Promise<boolean>) => () => this.pool(n, concurrency, (i) => read(ids[i]!));
    const naive = (id: string) => this.naiveRead(id);
    const provider = (id: string) => this.providerRead(id);
    const row = (scenario: string, go: () => Promise<Outcome>) => measureMedian(this.emulator, `${scenario}, ${label}`, n, go, repeats);
    return {
      label,
      baseline: await row(`baseline: DescribeInstanceAttribute each, ${p} at a time`, run(p, naive)),
      paced: await row(`provider read, ${p} at a time (pulumi refresh -p ${p})`, run(p, provider)),
      burst: await row("provider read, all at once", run(n, provider)),
    };
  }

  async churnRows(label: string): Promise<Row[]> {
    const n = this.options.churn;
    const ids = this.ids.slice(0, n);
    const p = this.options.parallel;
    const leave = await measure(this.emulator, `delete (LeaveSecurityGroup), ${label}`, n, () =>
      this.pool(n, p, async (i) => {
        await this.provider.delete(`${ids[i]}:${CHURN_GROUP}`, this.membership(ids[i]!, CHURN_GROUP));
        return true;
      }),
    );
    const join = await measure(this.emulator, `create (JoinSecurityGroup), ${label}`, n, () =>
      this.pool(n, p, async (i) => !!(await this.provider.create(this.membership(ids[i]!, CHURN_GROUP))).id),
    );
    return [leave, join];
  }

  async warmUp(): Promise<void> {
    const n = Math.min(100, this.ids.length);
    await this.pool(n, this.options.parallel, (i) => this.naiveRead(this.ids[i]!));
    await this.pool(n, n, (i) => this.providerRead(this.ids[i]!));
  }

  private pool(count: number, concurrency: number, task: (i: number) => Promise<boolean>): Promise<Outcome> {
    return pool(count, concurrency, task, this.endsAt);
  }
}

/** The same operation without faults and under the throttling storm. */
type StormPair = [calm: Row, storm: Row];

function printRows(rows: Row[], comparisons: ReadComparison[], storms: StormPair[], options: Options): void {
  console.log(`\nprovider read path and churn against an in-process ECS emulator, ${options.instances} instances in 2 groups each`);
  const header = ["scenario", "N", "ECS requests", "wall ms", "memberships/s"];
  printTable(
    header,
    rows.map((r) => [r.scenario, String(r.n), String(r.requests), r.wallMs.toFixed(0), ((r.ok / r.wallMs) * 1000).toFixed(0)]),
  );
  console.log("");
  for (const { label, baseline, paced, burst } of comparisons) {
    const vs = (r: Row) =>
      `${(baseline.wallMs / r.wallMs).toFixed(1)}× the baseline's speed with ${(baseline.requests / r.requests).toFixed(0)}× fewer requests`;
    console.log(`N=${baseline.n}, ${label}: provider read ${options.parallel} at a time ${vs(paced)}; all at once ${vs(burst)}`);
  }
  for (const [calm, storm] of storms) {
    const cost = `${(storm.wallMs / calm.wallMs).toFixed(1)}× the time and ${(storm.requests / calm.requests).toFixed(1)}× the requests`;
    console.log(`${storm.scenario}: ${storm.ok} of ${storm.n} converged, at ${cost} of the fault-free run`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions<Options>(
    process.argv.slice(2),
    {
      instances: 1000,
      parallel: 4 * os.availableParallelism(),
      churn: 100,
      repeats: 3,
      rttMs: 20,
      maxSeconds: 50,
    },
    { usage: USAGE },
  );
  if (options.churn > options.instances) throw new Error("--churn must not exceed --instances");
  const emulator = await startTestEmulator(benchSeed(options.instances));
  const rows: Row[] = [];
  const comparisons: ReadComparison[] = [];
  const storms: StormPair[] = [];
  try {
    const bench = new Bench(emulator, options);
    await bench.configure();
    await bench.warmUp();
    for (const n of [...new Set([Math.min(100, options.instances), options.instances])]) {
      comparisons.push(await bench.readComparison(n, "loopback", options.repeats));
    }
    // Latency-bound rows vary little, and repeating them would cost seconds each.
    await emulator.setFaults([{ action: "*", kind: "latency", latencyMs: options.rttMs }]);
    comparisons.push(await bench.readComparison(options.instances, `${options.rttMs} ms RTT`, 1));
    await emulator.clearFaults();
    for (const { baseline, paced, burst } of comparisons) rows.push(baseline, paced, burst);
    const calm = await bench.churnRows("no faults");
    await emulator.setFaults([THROTTLING], FAULT_RNG_SEED);
    const storm = await bench.churnRows(`${THROTTLING.probability! * 100}% throttled`);
    rows.push(...calm, ...storm);
    storms.push([calm[0]!, storm[0]!], [calm[1]!, storm[1]!]);
  } finally {
    await emulator.close();
  }
  printRows(rows, comparisons, storms, options);
  const short = rows.filter((r) => r.ok !== r.n);
  for (const r of short)
    console.error(`${r.scenario}, N=${r.n}: only ${r.ok} of ${r.n} succeeded or found the membership; first error: ${r.firstError ?? "none"}`);
  if (short.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
