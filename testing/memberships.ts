/**
 * Memberships as the emulator holds them (GET /_emulator/state): what the demo prints and what the checks compare.
 */
import type { Seed } from "../emulator";

/** Target ID (instance or ENI) → its security groups, sorted. */
export type Memberships = Record<string, string[]>;

export function membershipsOf(state: Seed): Memberships {
  const targets = [
    ...state.instances.map((instance) => [instance.instanceId, instance.securityGroupIds] as const),
    ...state.networkInterfaces.map((eni) => [eni.networkInterfaceId, eni.securityGroupIds] as const),
  ];
  return Object.fromEntries(targets.map(([id, groups]) => [id, [...groups].sort()]));
}

export function formatTable(title: string, memberships: Memberships, detail?: string): string {
  const rows = Object.entries(memberships);
  const width = Math.max("target".length, ...rows.map(([target]) => target.length));
  return [
    `── ${title}`,
    ...(detail ? [`   ${detail}`] : []),
    `  ${"target".padEnd(width)}  security groups`,
    ...rows.map(([target, groups]) => `  ${target.padEnd(width)}  ${groups.join(", ")}`),
  ].join("\n");
}

/** Differences between what the world holds and what `expected` lists (targets not listed are not compared). */
export function membershipDeviations(actual: Memberships, expected: Memberships): string[] {
  return Object.entries(expected).flatMap(([target, groups]) => {
    const held = actual[target];
    const want = [...groups].sort();
    if (held === undefined) return [`${target} is missing from the world`];
    return held.join(",") === want.join(",") ? [] : [`${target} is in [${held.join(", ")}], expected [${want.join(", ")}]`];
  });
}
