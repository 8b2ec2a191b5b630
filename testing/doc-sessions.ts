/**
 * The documentation's sessions: each file's blocks of one machine, in the file's order, as one reader runs them. Each
 * machine's sessions are tested by a file of their own (tests/docs/sessions-MACHINE.test.ts), so that jest runs the
 * machines side by side.
 */
import { allDocBlocks, type DocBlock } from "./doc-blocks";
import { cloneMachine, consumerMachine, goMachine, newcomerMachine, yamlMachine, type Machine } from "./doc-machines";
import { runSession } from "./doc-session";
import { transpileDocBlocks } from "./doc-typescript";
import { eventually } from "./wait";

export const MACHINES: Record<string, () => Promise<Machine>> = {
  consumer: consumerMachine,
  newcomer: newcomerMachine,
  yaml: yamlMachine,
  go: goMachine,
  clone: cloneMachine,
};

/** The test file that runs a machine's sessions. */
export const sessionsTestOf = (machine: string): string => `tests/docs/sessions-${machine}.test.ts`;

export const SESSION_TIMEOUT_MS = 300_000;

export interface DocSession {
  /** "README.md on the consumer machine". */
  name: string;
  blocks: DocBlock[];
}

/** The sessions on `machine`: one per documentation file with blocks for it. */
export function sessionsOn(machine: string): DocSession[] {
  const byFile = new Map<string, DocBlock[]>();
  for (const block of allDocBlocks()) {
    // A block two readers both run (installing the package, say) belongs to each one's session.
    if (block.marker.kind === "session" && block.marker.machines.includes(machine))
      byFile.set(block.file, [...(byFile.get(block.file) ?? []), block]);
  }
  return [...byFile].map(([file, sessionBlocks]) => ({ name: `${file} on the ${machine} machine`, blocks: sessionBlocks }));
}

/**
 * Runs the session on a fresh machine: it must run to its end, and leave the machine where the docs say. Throws with
 * the session's output, or what was left, when not.
 */
export async function runDocSession(machineName: string, session: DocSession): Promise<string[]> {
  const machine = await MACHINES[machineName]!();
  try {
    const javascript = transpileDocBlocks(
      session.blocks.filter((block) => block.lang === "ts" && block.marker.kind === "session" && !block.marker.file),
    );
    const result = await runSession(session.blocks, machine, javascript);
    if (result.code !== 0) throw new Error(`the session stopped with exit code ${result.code}; its output:\n${result.output}`);
    // A process the docs stop (kill) exits, and cleans up after itself, a moment after the command returns.
    let left: string[] = [];
    await eventually("the machine to be where the docs leave it", async () => (left = await machine.leftovers()).length === 0).catch(() => undefined);
    result.killLeftovers();
    return left;
  } finally {
    await machine.remove();
  }
}

/**
 * One test per session on `machine`. With `concurrent`, the sessions run at once: only for a machine whose sessions
 * share nothing (each clone has its own directory and network namespace).
 */
export function testSessionsOn(machine: string, { concurrent = false } = {}): void {
  for (const session of sessionsOn(machine)) {
    (concurrent ? test.concurrent : test)(
      `${session.name}: runs to the end, block by block, and leaves the machine where the docs say`,
      async () => expect(await runDocSession(machine, session)).toEqual([]),
      SESSION_TIMEOUT_MS,
    );
  }
}
