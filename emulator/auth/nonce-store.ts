/** Remembers SignatureNonces per AccessKeyId for the timestamp window; older ones cannot replay anyway (their Timestamp expired).
 *  Bounded: beyond `capacity` the oldest nonce is forgotten first. */
export class NonceStore {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly capacity = 200_000,
  ) {}

  /** Records the nonce; false when it was already used within the window. */
  claim(accessKeyId: string, nonce: string, now: number): boolean {
    this.forgetExpired(now);
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.seen.has(key)) return false;
    if (this.seen.size >= this.capacity) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, now + this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetExpired(now: number): void {
    for (const [nonce, expiresAt] of this.seen) {
      if (expiresAt > now) break;
      this.seen.delete(nonce);
    }
  }
}
