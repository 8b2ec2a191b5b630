/**
 * Serializes our own operations on one target (instance or ENI) inside the provider process, so two memberships of the
 * same instance never make ECS answer InvalidOperation.Conflict because of each other.
 */

/** Process-wide, not per provider object: the plugin may hold several deserialized copies of the provider. */
function chains(): Map<string, Promise<void>> {
  const holder = globalThis as { __alicloudSgMembershipTargetLocks?: Map<string, Promise<void>> };
  holder.__alicloudSgMembershipTargetLocks ??= new Map();
  return holder.__alicloudSgMembershipTargetLocks;
}

export async function withTargetLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const locks = chains();
  const previous = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  locks.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}
