/**
 * Pulumi's dynamic-provider plugin prints every error that check, diff, read or delete throws to its stderr, as
 * `${e}: ${e.stack}`, and the engine shows each stderr line against the stack: beside the resource's own error comes a
 * second copy with the message twice and a stack trace (for a thrown non-Error, `[object Object]: undefined`). An
 * error this provider explained for the user is shown once, against its resource: the plugin's echo of it is dropped.
 */
import { MembershipError } from "../ecs/errors";
import { insidePlugin } from "./engine-log";

/** The echoes announced and not yet printed, counted: two failures can print the same text. Anything else goes through. */
const expected = new Map<string, number>();
let filtering = false;

function filterEchoes(): void {
  if (filtering) return;
  filtering = true;
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && consume(args[0])) return;
    print(...args);
  };
}

function consume(text: string): boolean {
  const count = expected.get(text) ?? 0;
  if (count === 0) return false;
  if (count === 1) expected.delete(text);
  else expected.set(text, count - 1);
  return true;
}

/** Runs a method whose failures the plugin echoes (check, diff, read, delete). */
export async function withoutEcho<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof MembershipError && insidePlugin()) {
      filterEchoes();
      const echo = `${err}: ${err.stack}`;
      expected.set(echo, (expected.get(echo) ?? 0) + 1);
    }
    throw err;
  }
}
