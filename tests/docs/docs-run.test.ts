/**
 * Every code block of README.md, docs/ and the examples' READMEs, as a reader would use it: TypeScript compiled under
 * the project's strict settings, JSON parsed (and seeds, patches and fault rules given to an emulator), the quick start
 * found in `.ci/run`, and each file's shell and program blocks run in order, in one shell, on the machine its reader
 * has, ending where the file says. Markers (testing/doc-blocks.ts) say how a block is treated; a block that is not run
 * says why.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { emulatorAdmin, startEmulator } from "../../emulator";
import { allDocBlocks, whereIs, type DocBlock } from "../../testing/doc-blocks";
import { cloneMachine, consumerMachine, goMachine, newcomerMachine, yamlMachine, type Machine } from "../../testing/doc-machines";
import { runSession } from "../../testing/doc-session";
import { compileDocBlocks, type CompiledBlocks } from "../../testing/doc-typescript";
import { REPO_ROOT } from "../../testing/pulumi-cli";
import { eventually } from "../../testing/wait";

const SESSION_TIMEOUT_MS = 300_000;
const blocks = allDocBlocks();
const MACHINES: Record<string, () => Promise<Machine>> = {
  consumer: consumerMachine,
  newcomer: newcomerMachine,
  yaml: yamlMachine,
  go: goMachine,
  clone: cloneMachine,
};

/** Why a block cannot be treated as marked, or undefined when it can. */
function unaccounted(block: DocBlock): string | undefined {
  const { marker, lang } = block;
  switch (marker.kind) {
    case "none":
      return lang === "ts" || lang === "json" ? undefined : `a ${lang || "plain"} block needs a marker: what runs it, or skip: why not`;
    case "ci":
      return lang === "sh" ? undefined : "only shell blocks can be .ci/run's commands";
    case "session":
      if (marker.file || lang === "sh" || lang === "ts") {
        const unknown = marker.machines.filter((machine) => !MACHINES[machine]);
        return unknown.length === 0 ? undefined : `no machine called ${unknown.join(", ")}`;
      }
      return `a ${lang || "plain"} block runs in a session only when saved to a file (file=…)`;
    case "seed":
    case "patch":
    case "faults":
      return lang === "json" ? undefined : `only JSON blocks can be a ${marker.kind}`;
    default:
      return undefined;
  }
}

test("every code block is run or checked, or says why not", () => {
  const problems = blocks.flatMap((block) => {
    const why = unaccounted(block);
    return why ? [`${whereIs(block)}: ${why}`] : [];
  });
  expect(problems).toEqual([]);
  expect(blocks.length).toBeGreaterThan(20);
});

let compiled: CompiledBlocks | undefined;

/** Compiled once for the file: the sessions run the compiled blocks. */
function compiledBlocks(): CompiledBlocks {
  compiled ??= compileDocBlocks(blocks.filter((block) => block.lang === "ts" && (block.marker.kind === "none" || block.marker.kind === "session")));
  return compiled;
}

test("TypeScript blocks compile under the project's strict settings", () => {
  expect(compiledBlocks().errors).toEqual([]);
});

test("JSON blocks parse, and the emulator accepts each seed, world patch and set of fault rules", async () => {
  const accepted = async (block: DocBlock): Promise<string | undefined> => {
    const value: unknown = JSON.parse(block.code);
    const { marker } = block;
    if (marker.kind === "none") return undefined;
    const seed =
      marker.kind === "seed" ? (value as object) : path.join(REPO_ROOT, marker.kind === "patch" || marker.kind === "faults" ? marker.of : "");
    const emulator = await startEmulator({ seed: seed as never });
    try {
      const admin = emulatorAdmin(emulator.url);
      if (marker.kind === "patch") await admin.patch(value as never);
      if (marker.kind === "faults") {
        const { rules, rngSeed } = value as { rules: never; rngSeed?: number };
        await admin.setFaults(rules, rngSeed);
      }
    } finally {
      await emulator.close();
    }
    return undefined;
  };
  const refused: string[] = [];
  for (const block of blocks.filter((candidate) => candidate.lang === "json" && candidate.marker.kind !== "skip")) {
    await accepted(block).catch((error: Error) => refused.push(`${whereIs(block)}: ${error.message}`));
  }
  expect(refused).toEqual([]);
});

test("the quick start's commands are the ones .ci/run runs", () => {
  const ciLines = new Set(
    readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8")
      .split("\n")
      .map((line) => line.trim()),
  );
  const commandsOf = (block: DocBlock) =>
    block.code
      .split("\n")
      .map((line) => line.replace(/#.*$/, "").trim())
      .filter(Boolean)
      .flatMap((line) => line.split("&&").map((part) => part.trim()));
  const quickStarts = blocks.filter((block) => block.marker.kind === "ci");
  expect(quickStarts.map((block) => block.file)).toContain("README.md");
  const missing = quickStarts.flatMap((block) =>
    commandsOf(block)
      .filter((command) => !ciLines.has(command))
      .map((command) => `${whereIs(block)}: ${command}`),
  );
  expect(missing).toEqual([]);
});

test("blocks run by other tests are read by them", () => {
  const unread = blocks.flatMap((block) => {
    if (block.marker.kind !== "run-by") return [];
    const test = path.join(REPO_ROOT, block.marker.test);
    const reads = existsSync(test) && readFileSync(test, "utf8").includes(`docBlock("${block.file}", "${block.marker.name}")`);
    return reads ? [] : [`${whereIs(block)}: ${block.marker.test} does not read it with docBlock("${block.file}", "${block.marker.name}")`];
  });
  expect(unread).toEqual([]);
});

/** Each file's blocks of one machine, in the file's order: what one reader runs, one after the other. */
function sessions(): [string, string, DocBlock[]][] {
  const byName = new Map<string, [string, DocBlock[]]>();
  for (const block of blocks) {
    if (block.marker.kind !== "session") continue;
    // A block two readers both run (installing the package, say) belongs to each one's session.
    for (const machine of block.marker.machines) {
      const name = `${block.file} on the ${machine} machine`;
      byName.set(name, [machine, [...(byName.get(name)?.[1] ?? []), block]]);
    }
  }
  return [...byName].map(([name, [machine, sessionBlocks]]) => [name, machine, sessionBlocks]);
}

for (const [name, machineName, sessionBlocks] of sessions()) {
  test(
    `${name}: runs to the end, block by block, and leaves the machine where the docs say`,
    async () => {
      const machine = await MACHINES[machineName]!();
      try {
        const result = await runSession(sessionBlocks, machine, compiledBlocks().javascript);
        if (result.code !== 0) throw new Error(`the session stopped with exit code ${result.code}; its output:\n${result.output}`);
        // A process the docs stop (kill) exits, and cleans up after itself, a moment after the command returns.
        let left: string[] = [];
        await eventually("the machine to be where the docs leave it", async () => (left = await machine.leftovers()).length === 0).catch(
          () => undefined,
        );
        result.killLeftovers();
        expect(left).toEqual([]);
      } finally {
        await machine.remove();
      }
    },
    SESSION_TIMEOUT_MS,
  );
}
