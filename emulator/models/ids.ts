/**
 * Well-formed IDs: a kind prefix, then one or more lower-case letters or digits (ECS IDs look like i-bp67acfmxazb4p…).
 * Anything else is "Malformed", never "NotFound", so clients can tell a typo from a deleted resource.
 */
export const ID_PREFIXES = { instance: "i-", securityGroup: "sg-", networkInterface: "eni-", vpc: "vpc-" } as const;
export type IdKind = keyof typeof ID_PREFIXES;

const ID_BODY = /^[a-z0-9]+$/;

export function isWellFormedId(kind: IdKind, id: string): boolean {
  const prefix = ID_PREFIXES[kind];
  return id.startsWith(prefix) && ID_BODY.test(id.slice(prefix.length));
}

/** Deterministic IDs from a persisted counter: `<prefix>emu<6+ digits>`, skipping any the world already holds. */
export class IdGenerator {
  constructor(private next: number) {}

  get counter(): number {
    return this.next;
  }

  issue(kind: IdKind, taken: (id: string) => boolean): string {
    for (;;) {
      const id = `${ID_PREFIXES[kind]}emu${String(this.next++).padStart(6, "0")}`;
      if (!taken(id)) return id;
    }
  }
}
