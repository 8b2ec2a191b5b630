/**
 * TypeScript blocks of the documentation, type-checked together under the project's own strict settings, each as an
 * ES module of its own (so top-level `await` works, as it does in a reader's `.mts` file), resolving packages from
 * the repository, where `pulumi-alicloud-sg-membership` is the package as built. Errors point at the documentation's
 * line, not at a temporary file.
 */
import { mkdirSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import ts from "typescript";
import { whereIs, type DocBlock } from "./doc-blocks";
import { REPO_ROOT } from "./pulumi-cli";

export interface CompiledBlocks {
  /** One line per diagnostic: `README.md:123: message`. */
  errors: string[];
  /** Each block's JavaScript (an ES module). */
  javascript: Map<DocBlock, string>;
}

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

export function compileDocBlocks(blocks: DocBlock[]): CompiledBlocks {
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
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => describe(diagnostic, blockOf));
  const javascript = new Map(
    blocks.map((block) => [
      block,
      ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText,
    ]),
  );
  return { errors, javascript };
}
