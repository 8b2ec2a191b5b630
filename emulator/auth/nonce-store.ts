import { createHash } from "node:crypto";
import { ecsErrors } from "../models";

/**
 * Remembers every SignatureNonce per AccessKeyId for the whole timestamp window; older ones cannot replay anyway (their
 * Timestamp has expired). It never forgets a nonce early: memory is bounded instead by refusing a key that has signed
 * `maxPerKey` requests within the window (ECS's 400 Throttling.User) until its oldest nonces expire. Nonces are stored
 * as fixed-size hashes, so their length does not matter, and only for keys whose signature checked out.
 */
export class NonceStore {
  private readonly byKey = new Map<string, Map<string, number>>();

  constructor(
    private readonly windowMs: number,
    private readonly maxPerKey: number,
  ) {}

  /** Records the nonce; false when it was already used within the window. Throws Throttling.User when the key is full. */
  claim(accessKeyId: string, nonce: string, now: number): boolean {
    const seen = this.byKey.get(accessKeyId) ?? new Map<string, number>();
    this.byKey.set(accessKeyId, seen);
    forgetExpired(seen, now);
    const digest = createHash("sha256").update(nonce).digest("base64").slice(0, 22);
    if (seen.has(digest)) return false;
    if (seen.size >= this.maxPerKey) throw ecsErrors.throttlingUser();
    seen.set(digest, now + this.windowMs);
    return true;
  }

  get size(): number {
    let size = 0;
    for (const seen of this.byKey.values()) size += seen.size;
    return size;
  }
}

/** Entries are in insertion order, which is expiry order. */
function forgetExpired(seen: Map<string, number>, now: number): void {
  for (const [digest, expiresAt] of seen) {
    if (expiresAt > now) break;
    seen.delete(digest);
  }
}
