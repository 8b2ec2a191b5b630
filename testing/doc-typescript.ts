/**
 * TypeScript blocks of the documentation, type-checked together under the project's own strict settings, each as an
 * ES module of its own (so top-level `await` works, as it does in a reader's `.mts` file), resolving packages from
 * the repository, where `pulumi-alicloud-sg-membership` is the package as built. Errors point at the documentation's
 * line, not at a temporary file. Sessions run the blocks transpiled one by one (the type check is the blocks test's).
 */
import { mkdirSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import ts from "typescript";
import { whereIs, type DocBlock } from "./doc-blocks";
import { REPO_ROOT } from "./pulumi-cli";

function projectCompilerOptions(): ts.CompilerOptions {
  const configPath = path.join(REPO_ROOT, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT);
  return {
    ...options,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    moduleDetection: ts.ModuleDetectionKind.Force,
    types: ["node"],
    noEmit: true,
    declaration: false,
    sourceMap: false,
  };
}

function describe(diagnostic: ts.Diagnostic, blockOf: ReadonlyMap<string, DocBlock>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  const block = diagnostic.file && blockOf.get(path.resolve(diagnostic.file.fileName));
  if (!block || diagnostic.start === undefined) return message;
  const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
  // The fence is the block's first line, so the code's line N is N lines below it.
  return `${block.file}:${block.line + line + 1}: ${message} (in the block at ${whereIs(block)})`;
}

/** The blocks' type errors, one line per diagnostic: `README.md:123: message`. */
export function docBlockTypeErrors(blocks: DocBlock[]): string[] {
  const dir = path.join(REPO_ROOT, "dist", "doc-blocks");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const blockOf = new Map<string, DocBlock>();
  for (const block of blocks) {
    const file = path.join(dir, `${block.file.replace(/[^\w]+/g, "-")}-${block.line}.mts`);
    writeFileSync(file, block.code);
    blockOf.set(file, block);
  }
  const program = ts.createProgram([...blockOf.keys()], projectCompilerOptions());
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => describe(diagnostic, blockOf));
}

/** Each block's JavaScript (an ES module), without type-checking: what a session runs. */
export function transpileDocBlocks(blocks: DocBlock[]): Map<DocBlock, string> {
  return new Map(
    blocks.map((block) => [
      block,
      ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText,
    ]),
  );
}
