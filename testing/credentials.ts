/**
 * Access keys as clients and stacks use them, and how to pick one from a seed world.
 */
import type { Seed } from "../emulator";

/** An access key pair, with the STS token of a temporary one. */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export type KeyKind = "full" | "readOnly" | "sts";

/** The seed's key of that kind (the examples' seeds hold one of each): what a client or a stack signs with. */
export function seedKey(seed: Seed, kind: KeyKind = "full"): Credentials {
  const key = seed.accessKeys.find((candidate) =>
    kind === "readOnly"
      ? candidate.readOnly
      : kind === "sts"
        ? candidate.securityToken !== undefined
        : !candidate.readOnly && !candidate.securityToken,
  );
  if (!key) throw new Error(`the seed has no ${kind} access key`);
  return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, ...(key.securityToken ? { securityToken: key.securityToken } : {}) };
}
