/**
 * The code blocks of the documentation, as a reader meets them: README.md, docs/ and the examples' READMEs, read with
 * markdown-it (a CommonMark parser) so that what counts as a block is what a renderer shows. Each block may be preceded
 * by a marker saying how the docs test treats it:
 *
 *   <!-- doc-test: skip: WHY -->             deliberately not runnable (sample output, a fragment); WHY is required
 *   <!-- doc-test: ci -->                    commands `.ci/run` runs (the quick start): checked to be there
 *   <!-- doc-test: session MACHINE -->       run in order with the file's other blocks of that machine (shell blocks
 *                                            verbatim, TypeScript blocks compiled then run); MACHINE is one the test sets up,
 *                                            or several, comma-separated (`session newcomer,consumer`): one block each runs
 *   <!-- doc-test: session MACHINE file=P --> written to P in the session's directory (a program the reader saves)
 *   <!-- doc-test: seed -->                  a seed the emulator must accept
 *   <!-- doc-test: patch of=SEED -->         a world patch the emulator, started with SEED, must accept
 *   <!-- doc-test: faults of=SEED -->        fault rules (PUT /_emulator/faults) the emulator must accept
 *   <!-- consumer-test: FILE -->             run by a test in tests/e2e/package-consumers/, in a project with the packed package
 *   <!-- doc-test: run-by TEST name=N -->    run by that test file (or a file in that folder), which reads it with docBlock(FILE, N)
 *
 * Without a marker, a TypeScript block is compiled under strict settings and a JSON block parsed; any other block needs
 * a marker.
 */
import { readdirSync, readFileSync } from "fs";
import MarkdownIt from "markdown-it";
import * as path from "path";
import { REPO_ROOT } from "./pulumi-cli";

export type DocMarker =
  | { kind: "none" }
  | { kind: "skip"; why: string }
  | { kind: "ci" }
  | { kind: "session"; machines: string[]; file?: string }
  | { kind: "seed" }
  | { kind: "patch" | "faults"; of: string }
  | { kind: "run-by"; test: string; name: string };

export interface DocBlock {
  /** Relative to the repository, e.g. docs/emulator.md. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's language (`sh`, `ts`, `json`, …), "" when none. */
  lang: string;
  code: string;
  marker: DocMarker;
}

/** Where a block is, as a reader would look for it. */
export const whereIs = (block: DocBlock): string => `${block.file}:${block.line}`;

/** Every documentation file a reader follows. */
export function documentationFiles(): string[] {
  const markdownIn = (dir: string, recursive: boolean): string[] =>
    readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
      .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
  return ["README.md", ...markdownIn("docs", false), ...markdownIn("examples", true).filter((file) => !file.includes("node_modules"))].sort();
}

const MARKER = /^<!--\s*(doc-test|consumer-test):\s*(.*?)\s*-->\s*$/s;

function parseMarker(tool: string, text: string, where: string): DocMarker {
  if (tool === "consumer-test") return { kind: "run-by", test: "tests/e2e/package-consumers/", name: text };
  const [word = "", ...rest] = text.split(/\s+/);
  const options = Object.fromEntries(rest.filter((part) => part.includes("=")).map((part) => part.split("=", 2) as [string, string]));
  const need = (name: string): string => {
    if (!options[name]) throw new Error(`${where}: the marker "doc-test: ${text}" needs ${name}=…`);
    return options[name];
  };
  if (word === "skip:") {
    if (rest.length === 0) throw new Error(`${where}: "doc-test: skip:" must say why the block is not run`);
    return { kind: "skip", why: rest.join(" ") };
  }
  if (word === "ci" || word === "seed") return { kind: word };
  if (word === "session" && rest[0] && !rest[0].includes("=")) return { kind: "session", machines: rest[0].split(","), file: options.file };
  if (word === "patch" || word === "faults") return { kind: word, of: need("of") };
  if (word === "run-by" && rest[0] && !rest[0].includes("=")) return { kind: "run-by", test: rest[0], name: need("name") };
  throw new Error(`${where}: unknown marker "${tool}: ${text}" (see testing/doc-blocks.ts for the markers)`);
}

const markdown = new MarkdownIt({ html: true });

/** The code blocks of one file, in order, each with the marker just above it. */
export function docBlocks(file: string): DocBlock[] {
  const tokens = markdown.parse(readFileSync(path.join(REPO_ROOT, file), "utf8"), {});
  const blocks: DocBlock[] = [];
  tokens.forEach((token, index) => {
    if (token.type !== "fence") return;
    const line = token.map![0] + 1;
    const previous = tokens[index - 1];
    const found = previous?.type === "html_block" && previous.map![1] === token.map![0] ? MARKER.exec(previous.content.trim()) : null;
    const marker = found ? parseMarker(found[1]!, found[2]!, `${file}:${line}`) : { kind: "none" as const };
    blocks.push({ file, line, lang: token.info.trim().split(/\s+/)[0] ?? "", code: token.content, marker });
  });
  return blocks;
}

/** Every block of every documentation file. */
export function allDocBlocks(): DocBlock[] {
  return documentationFiles().flatMap(docBlocks);
}

/** The block a test runs, found by name: `consumer-test: NAME`, `run-by TEST name=NAME` or `session MACHINE file=NAME`. */
export function docBlock(file: string, name: string): string {
  const named = ({ marker }: DocBlock) => (marker.kind === "run-by" && marker.name === name) || (marker.kind === "session" && marker.file === name);
  const block = docBlocks(file).find(named);
  if (!block) throw new Error(`${file} has no code block named ${name} (consumer-test: ${name}, run-by … name=${name}, or session … file=${name})`);
  return block.code;
}
