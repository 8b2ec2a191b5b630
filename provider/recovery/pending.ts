/**
 * The interrupted run's own records: the Pulumi engine keeps every create and delete it started but never saw finish as
 * a pending operation in the stack's state. They are the only evidence that a membership found in ECS was made by this
 * stack, so recovery reads them and nothing else to decide what is the stack's own.
 */
import { membershipIdOf } from "../membership/inputs";
import type { PendingCreate } from "../membership/interrupted-creates";
import { RESOURCE_TOKEN } from "../plugin/schema";
import { TYPE_TOKEN } from "../pulumi/resource";

export interface StateResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
}

export interface PendingOperation {
  type: string;
  resource: StateResource;
}

export interface Deployment {
  resources?: StateResource[];
  pending_operations?: PendingOperation[];
}

/** `pulumi stack export`'s output. */
export interface Exported {
  version: number;
  deployment: Deployment;
}

export function parseExported(text: string): Exported {
  const parsed = JSON.parse(text) as Partial<Exported> | null;
  if (typeof parsed?.version !== "number" || typeof parsed.deployment !== "object" || parsed.deployment === null) {
    throw new Error("`pulumi stack export` printed something that is not a stack's state");
  }
  return parsed as Exported;
}

/** A membership's type in the state: the dynamic resource's (TypeScript and JavaScript programs) or the plugin's (YAML and the rest). */
const MEMBERSHIP_TYPES = new Set([TYPE_TOKEN, RESOURCE_TOKEN]);

const ofOurs = (kind: string) => (op: PendingOperation) => op.type === kind && MEMBERSHIP_TYPES.has(op.resource?.type);

/** The interrupted creates of SecurityGroupMembership, with the IDs they would have had. */
export function interruptedCreates(deployment: Deployment): PendingCreate[] {
  return (deployment.pending_operations ?? []).filter(ofOurs("creating")).flatMap((op) => {
    const inputs = op.resource.inputs ?? {};
    const target = inputs.instanceId ?? inputs.networkInterfaceId;
    if (typeof target !== "string" || typeof inputs.securityGroupId !== "string") return [];
    return [{ urn: op.resource.urn, id: membershipIdOf(target, inputs.securityGroupId) }];
  });
}

/** The URNs of memberships the interrupted run was deleting. */
export function interruptedDeletes(deployment: Deployment): string[] {
  return (deployment.pending_operations ?? []).filter(ofOurs("deleting")).map((op) => op.resource.urn);
}

/** The state without the interrupted creates of resources it now holds, and how many were cleared. */
export function withoutResolved(exported: Exported): { exported: Exported; cleared: number } {
  const held = new Set((exported.deployment.resources ?? []).map((r) => r.urn));
  const pending = exported.deployment.pending_operations ?? [];
  const resolved = ofOurs("creating");
  const kept = pending.filter((op) => !(resolved(op) && held.has(op.resource.urn)));
  return { exported: { ...exported, deployment: { ...exported.deployment, pending_operations: kept } }, cleared: pending.length - kept.length };
}
