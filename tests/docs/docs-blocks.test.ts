/**
 * Every code block of README.md, docs/ and the examples' READMEs, as a reader would use it: TypeScript compiled under
 * the project's strict settings, JSON parsed (and seeds, patches and fault rules given to an emulator), the quick start
 * found in `.ci/run`. Each file's shell and program blocks are run, in order, on the machine its reader has, by the
 * machine's own test file (sessions-MACHINE.test.ts). Markers (testing/doc-blocks.ts) say how a block is treated; a
 * block that is not run says why.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { emulatorAdmin, startEmulator } from "../../emulator";
import { allDocBlocks, whereIs, type DocBlock } from "../../testing/doc-blocks";
import { MACHINES, sessionsTestOf } from "../../testing/doc-sessions";
import { docBlockTypeErrors } from "../../testing/doc-typescript";
import { REPO_ROOT } from "../../testing/pulumi-cli";

const blocks = allDocBlocks();

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

test("each machine's sessions have a test file that runs them", () => {
  const missing = Object.keys(MACHINES).filter((machine) => {
    const file = path.join(REPO_ROOT, sessionsTestOf(machine));
    return !existsSync(file) || !readFileSync(file, "utf8").includes(`testSessionsOn("${machine}"`);
  });
  expect(missing.map(sessionsTestOf)).toEqual([]);
});

test("TypeScript blocks compile under the project's strict settings", () => {
  const typeScript = blocks.filter((block) => block.lang === "ts" && (block.marker.kind === "none" || block.marker.kind === "session"));
  expect(docBlockTypeErrors(typeScript)).toEqual([]);
});

test("JSON blocks parse, and the emulator accepts each seed, world patch and set of fault rules", async () => {
  const accepted = async (block: DocBlock): Promise<string | undefined> => {
    const value: unknown = JSON.parse(block.code);
    const { marker } = block;
    // Unmarked, or another file's (a tsconfig.json): parsing is all there is to check here.
    if (marker.kind !== "seed" && marker.kind !== "patch" && marker.kind !== "faults") return undefined;
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

/** The test file, or the test files in the folder, a run-by marker names. */
function testFilesOf(test: string): string[] {
  const full = path.join(REPO_ROOT, test);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => path.join(full, file));
}

test("blocks run by other tests are read by them", () => {
  const unread = blocks.flatMap((block) => {
    if (block.marker.kind !== "run-by") return [];
    const reading = `docBlock("${block.file}", "${block.marker.name}")`;
    const reads = testFilesOf(block.marker.test).some((file) => readFileSync(file, "utf8").includes(reading));
    return reads ? [] : [`${whereIs(block)}: ${block.marker.test} does not read it with ${reading}`];
  });
  expect(unread).toEqual([]);
});
