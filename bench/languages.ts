/**
 * `pulumi up` and `destroy` of I × G memberships through the real CLI from each language: a Go program through the
 * generated Go SDK (bench/go-fleet) and a Pulumi YAML program, both through the provider plugin, beside the examples'
 * TypeScript fleet program (the dynamic resource, the baseline), one after the other against one ECS emulator in its own
 * process with `--latency-ms` on every action. The Go program is built once first, so its runs only link. Checks the
 * world after each up and destroy and exits non-zero otherwise.
 *
 *   npm run bench:languages -- [--instances 20] [--groups 5] [--latency-ms 30]
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { devNull, tmpdir } from "os";
import * as path from "path";
import { emulatorAdmin } from "../emulator";
import { runGoTool } from "../testing/go-toolchain";
import { membershipsOf } from "../testing/memberships";
import { startEmulatorProcess } from "../testing/processes";
import { EXAMPLES_DIR, locateLanguageHost, locatePulumi, REPO_ROOT } from "../testing/pulumi-cli";
import { ThrowawayStack, type StackSettings } from "../testing/throwaway-stack";
import { fleetSeed } from "./fleet-world";
import { failOnWrongWorld, parseOptions, printTable } from "./table";

const USAGE = "Usage: npm run bench:languages -- [--instances 20] [--groups 5] [--latency-ms 30]";
const KEY = { accessKeyId: "LTAI5tLanguagesBench1", accessKeySecret: "languages-bench-secret" };
const BASE_GROUP = "sg-bp1lbbase";
const GO_DIR = path.join(REPO_ROOT, "bench", "go-fleet");
const LANGUAGES = ["TypeScript (dynamic)", "YAML (plugin)", "Go (plugin)"] as const;
type Language = (typeof LANGUAGES)[number];

/** The YAML program as JSON (which YAML reads as it is): one resource per membership, as YAML has no loops. */
function yamlProject(instances: string[], groups: string[]): string {
  const resources = Object.fromEntries(
    instances.flatMap((instanceId) =>
      groups.map((securityGroupId) => [
        `${instanceId}-in-${securityGroupId}`,
        { type: "alicloud-sg-membership:index:SecurityGroupMembership", properties: { instanceId, securityGroupId } },
      ]),
    ),
  );
  const plugins = { providers: [{ name: "alicloud-sg-membership", path: path.join(REPO_ROOT, "node_modules", ".bin") }] };
  return JSON.stringify({ name: "sg-languages-bench-yaml", runtime: "yaml", plugins, resources });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { instances: 20, groups: 5, latencyMs: 30 }, { usage: USAGE, zeroAllowed: ["latencyMs"] });
  locatePulumi();
  locateLanguageHost("yaml");
  locateLanguageHost("go");
  const instances = Array.from({ length: options.instances }, (_, i) => `i-bp1lb${String(i + 1).padStart(4, "0")}`);
  const groups = Array.from({ length: options.groups }, (_, i) => `sg-bp1lb${i + 1}`);
  console.log(
    `bench:languages: ${instances.length} × ${groups.length} = ${instances.length * groups.length} memberships, ${options.latencyMs} ms per ECS action`,
  );
  await runGoTool(["go", "build", "-o", devNull, "."], GO_DIR);

  const work = mkdtempSync(path.join(tmpdir(), "sgm-bench-languages-"));
  const seedPath = path.join(work, "seed.json");
  writeFileSync(
    seedPath,
    JSON.stringify(fleetSeed({ key: KEY, vpc: "vpc-bp1lb", baseGroup: BASE_GROUP, instances, groups, latencyMs: options.latencyMs })),
  );
  writeFileSync(path.join(work, "Pulumi.yaml"), yamlProject(instances, groups));
  const emulator = await startEmulatorProcess(seedPath);
  const admin = emulatorAdmin(emulator.url);
  const lists = { instances: JSON.stringify(instances), groups: JSON.stringify(groups) };
  const plugin = { configNamespace: "alicloud-sg-membership", endpoint: emulator.url, credentials: KEY };
  const settings: Record<Language, StackSettings> = {
    "TypeScript (dynamic)": {
      name: `bench-lang-ts-${process.pid}`,
      projectDir: EXAMPLES_DIR,
      example: "fleet",
      endpoint: emulator.url,
      credentials: KEY,
      config: { "sg-membership-examples:fleetInstanceIds": lists.instances, "sg-membership-examples:fleetGroupIds": lists.groups },
    },
    "YAML (plugin)": { name: `bench-lang-yaml-${process.pid}`, projectDir: work, ...plugin },
    "Go (plugin)": {
      name: `bench-lang-go-${process.pid}`,
      projectDir: GO_DIR,
      ...plugin,
      config: { "sg-languages-bench-go:instanceIds": lists.instances, "sg-languages-bench-go:groupIds": lists.groups },
    },
  };
  const stacks: ThrowawayStack[] = [];
  const problems: string[] = [];
  const rows: string[][] = [];
  try {
    for (const language of LANGUAGES) {
      const stack = await ThrowawayStack.create(settings[language]);
      stacks.push(stack);
      const row: string[] = [language];
      for (const operation of ["up", "destroy"] as const) {
        const started = Date.now();
        await stack.run([operation, "--yes", "--skip-preview"]);
        row.push(((Date.now() - started) / 1000).toFixed(1));
        const expected = (operation === "up" ? [BASE_GROUP, ...groups] : [BASE_GROUP]).sort().join(",");
        const held = membershipsOf(await admin.state());
        const wrong = instances.filter((id) => held[id]?.join(",") !== expected);
        if (wrong.length > 0) problems.push(`${language} after ${operation}: ${wrong.length} instances not in exactly [${expected}]`);
      }
      rows.push(row);
    }
    const baseline = rows[0]!.slice(1).map(Number);
    printTable(
      ["program", "up s", "destroy s", "up vs TS", "destroy vs TS"],
      rows.map((row) => [...row, ...row.slice(1).map((s, i) => `${(Number(s) / baseline[i]!).toFixed(2)}×`)]),
    );
  } finally {
    for (const stack of stacks) stack.remove();
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
  failOnWrongWorld("bench:languages", problems);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
