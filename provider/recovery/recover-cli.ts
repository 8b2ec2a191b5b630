/**
 * sg-membership-recover: finishes a `pulumi up` that was interrupted (Ctrl-C twice, a killed CI job, a machine that
 * slept) while it was creating SecurityGroupMemberships. Those creates may have joined their groups, but the stack
 * never recorded them, so a plain `pulumi up` would refuse the memberships as someone else's. This reads the stack's
 * pending creates (the engine's own record of what the interrupted run started), runs `pulumi up` (with the options
 * given) accepting exactly those memberships as their resources' own, then clears the pending creates it resolved.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { membershipIdOf } from "../membership/inputs";
import { RECOVER_FILE_ENV, type PendingCreate } from "../membership/interrupted-creates";
import { TYPE_TOKEN } from "../pulumi/resource";

const USAGE = `Usage: npx sg-membership-recover [pulumi up options]

Finishes a \`pulumi up\` of this project's stack that was interrupted while creating SecurityGroupMemberships:
runs \`pulumi up\` with the given options (for example --yes, --stack dev, --cwd infra), accepting a membership that
already exists only where the stack's state holds an interrupted create of it, then clears those pending creates.
Run \`pulumi cancel\` first if the stack is still locked by the interrupted run.`;

interface StateResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
}

interface Deployment {
  resources?: StateResource[];
  pending_operations?: { type: string; resource: StateResource }[];
}

interface Exported {
  version: number;
  deployment: Deployment;
}

/** The options that say which stack and project the pulumi commands act on, for the export and the import. */
function stackOptions(args: readonly string[]): string[] {
  const picked: string[] = [];
  args.forEach((arg, i) => {
    if (/^(--stack|-s|--cwd|-C)$/.test(arg) && args[i + 1] !== undefined) picked.push(arg, args[i + 1]!);
    else if (/^(--stack|--cwd)=/.test(arg)) picked.push(arg);
  });
  return picked;
}

function isOurs(op: { type: string; resource: StateResource }): boolean {
  return op.type === "creating" && op.resource.type === TYPE_TOKEN;
}

/** The interrupted creates of SecurityGroupMembership in a stack's state, with the IDs they would have had. */
function interruptedCreates(deployment: Deployment): PendingCreate[] {
  return (deployment.pending_operations ?? []).filter(isOurs).flatMap((op) => {
    const inputs = op.resource.inputs ?? {};
    const target = inputs.instanceId ?? inputs.networkInterfaceId;
    if (typeof target !== "string" || typeof inputs.securityGroupId !== "string") return [];
    return [{ urn: op.resource.urn, id: membershipIdOf(target, inputs.securityGroupId) }];
  });
}

/** The state without the interrupted creates of resources it now holds. */
function withoutResolved(exported: Exported): { exported: Exported; cleared: number } {
  const held = new Set((exported.deployment.resources ?? []).map((r) => r.urn));
  const pending = exported.deployment.pending_operations ?? [];
  const kept = pending.filter((op) => !(isOurs(op) && held.has(op.resource.urn)));
  return { exported: { ...exported, deployment: { ...exported.deployment, pending_operations: kept } }, cleared: pending.length - kept.length };
}

function pulumi(args: string[], capture: boolean): { status: number; stdout: string } {
  const run = spawnSync("pulumi", args, {
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: process.env,
  });
  if (run.error) throw new Error(`could not run pulumi: ${run.error.message}`);
  return { status: run.status ?? 1, stdout: run.stdout ?? "" };
}

function exportStack(stack: string[]): Exported {
  const run = pulumi(["stack", "export", ...stack], true);
  if (run.status !== 0) throw new Error("`pulumi stack export` failed (see above)");
  return JSON.parse(run.stdout) as Exported;
}

function main(args: string[]): number {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const stack = stackOptions(args);
  const creates = interruptedCreates(exportStack(stack).deployment);
  if (creates.length === 0) {
    console.log("sg-membership-recover: the stack holds no interrupted create of a SecurityGroupMembership; a plain `pulumi up` will do.");
    return 0;
  }
  console.log(
    `sg-membership-recover: ${creates.length} interrupted create(s) of SecurityGroupMembership:\n${creates.map((c) => `  ${c.id}  (${c.urn})`).join("\n")}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), "sg-membership-recover-"));
  const list = path.join(dir, "interrupted-creates.json");
  try {
    writeFileSync(list, JSON.stringify(creates), { mode: 0o600 });
    process.env[RECOVER_FILE_ENV] = list;
    const up = pulumi(["up", ...args], false);
    if (up.status !== 0) {
      console.error(
        "sg-membership-recover: `pulumi up` failed; the interrupted creates stay recorded, so run sg-membership-recover again once the cause is fixed.",
      );
      return up.status;
    }
    const { exported, cleared } = withoutResolved(exportStack(stack));
    writeFileSync(list, JSON.stringify(exported), { mode: 0o600 });
    if (cleared > 0 && pulumi(["stack", "import", "--file", list, ...stack], false).status !== 0) {
      console.error(
        "sg-membership-recover: the update succeeded, but clearing the resolved pending creates failed; `pulumi refresh` will offer to clear them.",
      );
      return 1;
    }
    console.log(`sg-membership-recover: done; ${cleared} pending create(s) resolved and cleared.`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`sg-membership-recover: ${(err as Error).message}`);
  process.exitCode = 1;
}
