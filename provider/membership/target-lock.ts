/**
 * Serializes our own Join and Leave calls on one target (instance or ENI) inside the provider process, so two
 * memberships of the same instance never make ECS answer InvalidOperation.Conflict because of each other. Only the
 * write is serialized: reads, status waits and visibility waits of several memberships of one target run together.
 */
import { seconds, type TimeBudget } from "../calls/deadline";
import { OWN_CODES } from "../ecs/codes";
import { MembershipError } from "../ecs/errors";

/** Process-wide, not per provider object: the plugin may hold several deserialized providers (e.g. after an upgrade). */
function chains(): Map<string, Promise<void>> {
  const holder = globalThis as { __alicloudSgMembershipTargetLocks?: Map<string, Promise<void>> };
  holder.__alicloudSgMembershipTargetLocks ??= new Map();
  return holder.__alicloudSgMembershipTargetLocks;
}

/** Resolves true once `previous` is done, or false when `budget` runs out first. */
function waitFor(previous: Promise<void>, budget: TimeBudget): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), budget.remainingMs());
    void previous.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Runs `work` once every earlier holder of `key` is done; the wait counts against the operation's deadline. */
export async function withTargetLock<T>(key: string, budget: TimeBudget, subject: string, work: () => Promise<T>): Promise<T> {
  const locks = chains();
  const previous = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  locks.set(key, tail);
  const done = () => {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  };
  const startedAt = Date.now();
  if (!(await waitFor(previous, budget))) {
    // Those queued behind us still wait for the ones before us.
    void previous.then(done);
    throw new MembershipError(
      `Waited ${seconds(Date.now() - startedAt)} for this run's other changes to ${subject} and reached the operation's deadline; ` +
        "run again, or raise operationTimeoutSeconds.",
      OWN_CODES.deadlineExceeded,
    );
  }
  try {
    return await work();
  } finally {
    done();
  }
}
