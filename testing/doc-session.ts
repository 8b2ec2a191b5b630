/**
 * A reader following one documentation file: its blocks of one machine, run in the order they appear, in one bash
 * session (so `export`, `cd` and processes started with `&` carry over from block to block, as in a terminal). Shell
 * blocks run verbatim; TypeScript blocks run as the ES modules they were compiled to, from the session's current
 * directory; a block marked `file=P` is saved to P, as a reader saves a program.
 */
import { spawn } from "child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { whereIs, type DocBlock } from "./doc-blocks";

export interface SessionMachine {
  /** The directory the reader starts in. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the session's script and compiled blocks are written (not the reader's directory). */
  scratchDir: string;
  /** A command prefix the session's shell runs under (entering a network namespace of its own), if any. */
  enter?: string[];
}

export interface SessionResult {
  code: number | null;
  /** Everything the session printed, stdout and stderr interleaved, with a header before each block. */
  output: string;
  /** SIGKILL to whatever the session left running in its process group (after the test has looked at it). */
  killLeftovers(): void;
}

function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The script's lines for one block. `compiled` is the JavaScript of a TypeScript block. */
function stepOf(block: DocBlock, index: number, machine: SessionMachine, compiled: ReadonlyMap<DocBlock, string>): string {
  const header = `printf '\\n=== %s\\n' ${quoted(whereIs(block))}`;
  const marker = block.marker.kind === "session" ? block.marker : undefined;
  if (marker?.file) {
    const saved = path.join(machine.scratchDir, `file-${index}`);
    writeFileSync(saved, block.code);
    return `${header}\nmkdir -p "$(dirname ${quoted(marker.file)})" && cp ${quoted(saved)} ${quoted(marker.file)}`;
  }
  if (block.lang === "sh") return `${header}\n${block.code}`;
  const javascript = compiled.get(block);
  if (javascript === undefined)
    throw new Error(`${whereIs(block)}: a ${block.lang || "plain"} block cannot run in a session (mark it file=… or skip:)`);
  const module = path.join(machine.scratchDir, `block-${index}.mjs`);
  writeFileSync(module, javascript);
  // From stdin, so that its imports resolve from the reader's current directory, as in a file of theirs there.
  return `${header}\nnode --input-type=module < ${quoted(module)}`;
}

/** The bash script a reader's session amounts to. */
export function sessionScript(blocks: DocBlock[], machine: SessionMachine, compiled: ReadonlyMap<DocBlock, string>): string {
  mkdirSync(machine.scratchDir, { recursive: true });
  return ["set -euo pipefail", ...blocks.map((block, index) => stepOf(block, index, machine, compiled))].join("\n") + "\n";
}

/**
 * Runs the session in a process group of its own and resolves when bash exits, not when every process it started has:
 * a process the docs forgot to stop must not hang the test, which checks for it. Output goes to a file, so it is
 * complete when bash exits even if such a process still holds it open.
 */
export function runSession(blocks: DocBlock[], machine: SessionMachine, compiled: ReadonlyMap<DocBlock, string>): Promise<SessionResult> {
  const script = path.join(machine.scratchDir, "session.sh");
  writeFileSync(script, sessionScript(blocks, machine, compiled));
  const log = path.join(machine.scratchDir, "session.log");
  const fd = openSync(log, "w");
  const [program, ...args] = [...(machine.enter ?? []), "bash", script];
  const child = spawn(program!, args, { cwd: machine.cwd, env: machine.env, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  const killLeftovers = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Nothing left.
    }
  };
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output: readFileSync(log, "utf8"), killLeftovers }));
  });
}
