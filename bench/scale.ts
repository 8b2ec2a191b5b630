/**
 * What users feel at fleet scale: I instances × G groups of SecurityGroupMembership through the real Pulumi CLI,
 * with the package packed and installed into a fresh project outside this repository as users install it, against
 * the ECS emulator (in its own process, with `--latency-ms` on every action), beside the same number of no-op dynamic
 * resources of the same shape in the same project (create returns an ID, read its props, diff no change, delete
 * nothing: the engine's own floor). Per operation: both times, their ratio and the ECS calls; state bytes per resource.
 * Checks the world after up (every membership there) and after destroy (only the original groups) and exits non-zero
 * otherwise.
 *
 *   npm run bench:scale -- [--instances 100] [--groups 5] [--latency-ms 30]
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { emulatorAdmin } from "../emulator";
import { createConsumerProject, packPackage } from "../testing/consumer-project";
import { startEmulatorProcess } from "../testing/processes";
import { membershipsOf } from "../testing/memberships";
import { locatePulumi } from "../testing/pulumi-cli";
import { ThrowawayStack } from "../testing/throwaway-stack";
import { fleetSeed, REGION, stateBytesPerResource } from "./fleet-world";
import { failOnWrongWorld, parseOptions, printTable } from "./table";

const USAGE = "Usage: npm run bench:scale -- [--instances 100] [--groups 5] [--latency-ms 30]";

const KEY = { accessKeyId: "LTAI5tScaleBench0001", accessKeySecret: "scale-bench-secret" };
const VPC = "vpc-bp1scale";
const BASE_GROUP = "sg-bp1scalebase";
const PROJECT = "sg-scale-bench";
const TYPE_TOKEN = "pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership";
const NOOP_TYPE_TOKEN = "pulumi-nodejs:dynamic:Resource";
const OPERATIONS = ["up", "refresh", "preview", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];
type Kind = "noop" | "membership";

const instanceId = (n: number) => `i-bp1scale${String(n).padStart(4, "0")}`;
const groupId = (n: number) => `sg-bp1scale${n}`;

/** The plain JavaScript program users would write: memberships declared instance by instance, or no-ops in their place. */
const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const { SecurityGroupMembership } = require("pulumi-alicloud-sg-membership");

const config = new pulumi.Config();
const instances = config.requireObject("instances");
const groups = config.requireObject("groups");
const noop = {
  async create(inputs) { return { id: inputs.instanceId + ":" + inputs.securityGroupId, outs: { ...inputs, securityGroupIds: [] } }; },
  async read(id, props) { return { id, props }; },
  async diff() { return { changes: false }; },
  async delete() {},
};
for (const instanceId of instances) {
  for (const securityGroupId of groups) {
    const name = instanceId + "-in-" + securityGroupId;
    const args = { instanceId, securityGroupId, regionId: "${REGION}" };
    if (config.require("kind") === "noop") new pulumi.dynamic.Resource(noop, name, { ...args, securityGroupIds: undefined });
    else new SecurityGroupMembership(name, args);
  }
}
`;

interface Measured {
  seconds: number;
  calls: Record<string, number>;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { instances: 100, groups: 5, latencyMs: 30 }, { usage: USAGE, zeroAllowed: ["latencyMs"] });
  locatePulumi();
  const instances = Array.from({ length: options.instances }, (_, i) => instanceId(i + 1));
  const groups = Array.from({ length: options.groups }, (_, i) => groupId(i + 1));
  const work = mkdtempSync(path.join(tmpdir(), "sgm-bench-scale-"));
  const seedPath = path.join(work, "seed.json");
  writeFileSync(seedPath, JSON.stringify(fleetSeed({ key: KEY, vpc: VPC, baseGroup: BASE_GROUP, instances, groups, latencyMs: options.latencyMs })));
  console.log(
    `bench:scale: ${instances.length} instances × ${groups.length} groups = ${instances.length * groups.length} memberships, ${options.latencyMs} ms per ECS action`,
  );
  const project = createConsumerProject({ name: PROJECT, tarball: packPackage(work), files: { "index.js": PROGRAM } });
  const emulator = await startEmulatorProcess(seedPath);
  const admin = emulatorAdmin(emulator.url);
  const stacks: Partial<Record<Kind, ThrowawayStack>> = {};
  const problems: string[] = [];
  try {
    for (const kind of ["noop", "membership"] as const) {
      stacks[kind] = await ThrowawayStack.create({
        name: `scale-${kind}-${process.pid}`,
        projectDir: project.dir,
        endpoint: emulator.url,
        credentials: KEY,
        config: { [`${PROJECT}:kind`]: kind, [`${PROJECT}:instances`]: JSON.stringify(instances), [`${PROJECT}:groups`]: JSON.stringify(groups) },
      });
    }
    const results: Record<Operation, Partial<Record<Kind, Measured>>> = { up: {}, refresh: {}, preview: {}, destroy: {} };
    const stateBytes: Partial<Record<Kind, number>> = {};
    for (const operation of OPERATIONS) {
      for (const kind of ["noop", "membership"] as const) {
        await admin.resetStats();
        const started = Date.now();
        const args = operation === "preview" ? ["preview"] : [operation, "--yes", "--skip-preview"];
        await stacks[kind]!.run(args);
        results[operation][kind] = { seconds: (Date.now() - started) / 1000, calls: (await admin.stats()).actions };
        if (operation === "up")
          stateBytes[kind] = stateBytesPerResource(await stacks[kind]!.exportState(), kind === "noop" ? NOOP_TYPE_TOKEN : TYPE_TOKEN);
      }
      const held = membershipsOf(await admin.state());
      const expected = operation === "destroy" ? [BASE_GROUP] : [BASE_GROUP, ...groups];
      const wrong = instances.filter((id) => held[id]?.join(",") !== [...expected].sort().join(","));
      if (wrong.length > 0)
        problems.push(
          `after ${operation}: ${wrong.length} instances not in exactly [${expected.join(", ")}], e.g. ${wrong[0]}: [${held[wrong[0]!]?.join(", ")}]`,
        );
    }
    printTable(
      ["op", "no-op s", "membership s", "ratio", "ECS calls (membership)"],
      OPERATIONS.map((operation) => {
        const { noop, membership } = results[operation] as Record<Kind, Measured>;
        const calls =
          Object.entries(membership.calls)
            .map(([action, count]) => `${action} ${count}`)
            .join(", ") || "none";
        return [operation, noop.seconds.toFixed(1), membership.seconds.toFixed(1), `${(membership.seconds / noop.seconds).toFixed(2)}×`, calls];
      }),
    );
    console.log("");
    printTable(
      ["state bytes per resource", "no-op", "membership", "ratio"],
      [["after up", String(stateBytes.noop), String(stateBytes.membership), `${(stateBytes.membership! / stateBytes.noop!).toFixed(2)}×`]],
    );
  } finally {
    for (const stack of Object.values(stacks)) stack.remove();
    await emulator.stop();
    project.remove();
    rmSync(work, { recursive: true, force: true });
  }
  failOnWrongWorld("bench:scale", problems);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
