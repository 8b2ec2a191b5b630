/** Plain-text output shared by the benchmarks: command-line numbers in, aligned tables out. */

/**
 * `--some-name N` pairs onto a copy of `defaults` (keys in camelCase); anything unknown or not a positive integer is
 * refused (names in `zeroAllowed` take 0 too).
 */
export function parseOptions<T extends { [K in keyof T]: number }>(argv: string[], defaults: T, zeroAllowed: (keyof T)[] = []): T {
  const options: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!.replace(/^--/, "").replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
    const value = Number(argv[i + 1]);
    const lowest = zeroAllowed.includes(name as keyof T) ? 0 : 1;
    if (!(name in options) || !Number.isInteger(value) || value < lowest) throw new Error(`bad option ${argv[i]} ${argv[i + 1] ?? ""}`);
    options[name] = value;
  }
  return options as T;
}

/** Prints rows under a header, each column padded to its widest cell, with a rule below the header. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, widths.map((w) => "-".repeat(w)), ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
}
