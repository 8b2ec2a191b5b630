import { timingSafeEqual } from "node:crypto";

/** Compares secrets (signatures, tokens) in time that does not depend on where they differ. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
