/**
 * Signed DescribeInstanceAttribute requests per second against the emulator over loopback, next to a bare node http
 * server answering the emulator's own response body, byte for byte, to the same pop-core clients (the baseline: what
 * the client side alone allows). Each server runs in its own process, so on a 2-core machine the server gets one core
 * and the clients the other; the server's CPU time per request gives its capacity on one core, whoever is the bottleneck.
 *
 * The emulator is measured twice, each time in a fresh process: alone, and with its console followed (one page's event
 * stream read, as an open console tab reads it), which should cost at most a few per cent.
 *
 *   npm run bench:emulator -- [--requests N] [--concurrency C] [--max-seconds S]
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import RPCClient from "@alicloud/pop-core";
import { EMULATOR_CLI, readyUrl, runProcess, stopProcess, type ProcessRun } from "../testing/processes";
import { parseOptions, printTable } from "./table";

const USAGE = "Usage: npm run bench:emulator -- [--requests 20000] [--concurrency 16] [--max-seconds 20]";

const KEY = { accessKeyId: "LTAI5tBenchmark0001", accessKeySecret: "bench-secret" };
const INSTANCE_ID = "i-bp1bench";

const SEED = {
  accessKeys: [KEY],
  vpcs: [{ vpcId: "vpc-bp1bench", regionId: "cn-hangzhou" }],
  securityGroups: [{ securityGroupId: "sg-bp1bench", regionId: "cn-hangzhou", vpcId: "vpc-bp1bench", securityGroupName: "bench" }],
  instances: [
    { instanceId: INSTANCE_ID, regionId: "cn-hangzhou", vpcId: "vpc-bp1bench", status: "Running", securityGroupIds: ["sg-bp1bench"], locked: false },
  ],
  networkInterfaces: [],
};

/** A server that answers every request with the body in $BODY, printing the same ready line as the emulator. */
const BASELINE_SERVER = `
const http = require("node:http");
const body = process.env.BODY;
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(body));
});
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

interface Options {
  requests: number;
  concurrency: number;
  maxSeconds: number;
}

interface Result {
  target: string;
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
  /** CPU seconds the server process spent, when /proc tells. */
  serverCpuSeconds?: number;
}

interface Server {
  url: string;
  run: ProcessRun;
}

/** A server process of its own, once it printed its ready line. */
async function startServer(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Server> {
  const run = runProcess([process.execPath, ...args], { env });
  return { url: await readyUrl(run, /listening on (http:\/\/\S+)/), run };
}

/** One console page's event stream, read and thrown away as it arrives; resolves once the stream is open. */
function followConsole(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/_emulator/console/events`, { agent: false }, (res) => {
        res.resume();
        resolve(res);
      })
      .on("error", reject);
  });
}

function client(url: string): RPCClient {
  return new RPCClient({ endpoint: url, apiVersion: "2014-05-26", ...KEY });
}

async function measure(target: string, url: string, options: Options): Promise<Result> {
  const deadline = Date.now() + options.maxSeconds * 1000;
  const latenciesMs: number[] = [];
  let started = 0;
  let errors = 0;
  const worker = async () => {
    const rpc = client(url);
    while (started < options.requests && Date.now() < deadline) {
      started += 1;
      const t0 = process.hrtime.bigint();
      try {
        await rpc.request("DescribeInstanceAttribute", { InstanceId: INSTANCE_ID });
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        errors += 1;
      }
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { target, requests: latenciesMs.length, errors, seconds: Number(process.hrtime.bigint() - t0) / 1e9, latenciesMs };
}

/** User + system CPU seconds of a process, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return undefined;
  }
}

async function measureServer(target: string, server: Server, options: Options): Promise<Result> {
  await measure(target, server.url, { ...options, requests: Math.min(5000, options.requests) }); // warm-up: JIT and connections, client and server
  const cpuBefore = cpuSeconds(server.run.child.pid);
  const result = await measure(target, server.url, options);
  const cpuAfter = cpuSeconds(server.run.child.pid);
  return cpuBefore === undefined || cpuAfter === undefined ? result : { ...result, serverCpuSeconds: cpuAfter - cpuBefore };
}

function percentile(sorted: number[], p: number): string {
  return sorted.length === 0 ? "-" : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
}

function printResults(results: Result[], options: Options): void {
  console.log(`\nsigned DescribeInstanceAttribute over loopback, pop-core keep-alive, concurrency ${options.concurrency}`);
  const header = ["target", "ok requests", "errors", "seconds", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "req/s per server core"];
  const rows = results.map((r) => {
    const sorted = [...r.latenciesMs].sort((a, b) => a - b);
    const cpu = r.serverCpuSeconds;
    return [
      r.target,
      String(r.requests),
      String(r.errors),
      r.seconds.toFixed(2),
      (r.requests / r.seconds).toFixed(0),
      percentile(sorted, 50),
      percentile(sorted, 99),
      cpu === undefined ? "-" : ((cpu / r.requests) * 1e6).toFixed(0),
      cpu === undefined || cpu === 0 ? "-" : (r.requests / cpu).toFixed(0),
    ];
  });
  printTable(header, rows);
  const [emulator, followed, baseline] = results.map((r) => r.requests / r.seconds);
  console.log(`\nemulator throughput = ${((emulator! / baseline!) * 100).toFixed(0)}% of the bare-server baseline (same clients, same body)`);
  console.log(`with the console followed = ${((followed! / emulator!) * 100).toFixed(0)}% of the emulator's throughput alone`);
}

async function main(): Promise<void> {
  const options = parseOptions<Options>(process.argv.slice(2), { requests: 20_000, concurrency: 16, maxSeconds: 20 }, { usage: USAGE });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-emulator-bench-"));
  const seedPath = path.join(dir, "seed.json");
  fs.writeFileSync(seedPath, JSON.stringify(SEED));
  const results: Result[] = [];
  try {
    let body = "";
    for (const followed of [false, true]) {
      const emulator = await startServer([EMULATOR_CLI, "--seed", seedPath]);
      const follower = followed ? await followConsole(emulator.url) : undefined;
      try {
        body = JSON.stringify(await client(emulator.url).request("DescribeInstanceAttribute", { InstanceId: INSTANCE_ID }));
        results.push(await measureServer(followed ? "ECS emulator, console followed" : "ECS emulator", emulator, options));
      } finally {
        follower?.destroy();
        await stopProcess(emulator.run);
      }
    }
    const baseline = await startServer(["-e", BASELINE_SERVER], { ...process.env, BODY: body });
    try {
      results.push(await measureServer("bare node http, same body (baseline)", baseline, options));
    } finally {
      await stopProcess(baseline.run);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printResults(results, options);
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
