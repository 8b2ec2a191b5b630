/**
 * Polls `probe` until it returns true, for tests that wait for something done later (never a fixed sleep standing in
 * for a condition). Fails with `what` after `timeoutMs`.
 */
export async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
