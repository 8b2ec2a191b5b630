/** Plain-text output shared by the benchmarks: command-line numbers in, aligned tables out. */
import { parseArgs } from "node:util";

export interface OptionSpec<T> {
  /** What `--help` prints: the command line and what each option means. */
  usage: string;
  /** Options that may be 0 (the others must be positive). */
  zeroAllowed?: (keyof T)[];
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * `--some-name N` onto a copy of `defaults` (keys in camelCase), with node:util's parseArgs; anything unknown or not a
 * positive integer is refused with the usage, and `--help` prints the usage and exits.
 */
export function parseOptions<T extends { [K in keyof T]: number }>(argv: string[], defaults: T, spec: OptionSpec<T>): T {
  const names = Object.keys(defaults) as (keyof T & string)[];
  const options = Object.fromEntries([
    ...names.map((name) => [kebab(name), { type: "string" as const }]),
    ["help", { type: "boolean" as const, short: "h" }],
  ]);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${spec.usage}`, { cause: error });
  }
  if (parsed.values.help) {
    console.log(spec.usage);
    process.exit(0);
  }
  const result = { ...defaults };
  for (const name of names) {
    const raw = parsed.values[kebab(name)];
    if (raw === undefined) continue;
    const value = Number(raw);
    const lowest = spec.zeroAllowed?.includes(name) ? 0 : 1;
    if (!Number.isInteger(value) || value < lowest)
      throw new Error(`--${kebab(name)} must be an integer of at least ${lowest}, not ${String(raw)}\n${spec.usage}`);
    (result as Record<string, number>)[name] = value;
  }
  return result;
}

/** Prints rows under a header, each column padded to its widest cell, with a rule below the header. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, widths.map((w) => "-".repeat(w)), ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
}

/** A benchmark whose world after a run is not what its stacks declared fails, naming what differs. */
export function failOnWrongWorld(benchmark: string, problems: string[]): void {
  if (problems.length === 0) return;
  console.error(`${benchmark}: the world is not what the stack declared:\n${problems.join("\n")}`);
  process.exitCode = 1;
}
