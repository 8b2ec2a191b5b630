/**
 * What a `pulumi` run shows the user, taken apart for checks: the display's "Diagnostics:" section, and the engine's
 * diagnostic events as `--json` prints them (each with the URN of the resource it is shown against).
 */

/** The display's "Diagnostics:" section: each resource's messages (trimmed), by resource name (the stack's included). */
export function diagnosticsByResource(output: string): Record<string, string> {
  const section = (output.split("\nDiagnostics:\n")[1] ?? "").split(/\n(?:Outputs|Resources):\n/)[0]!;
  // Every resource's header, the first one's too, starts a line.
  const blocks = `\n${section}`.split(/\n {2}\S+ \((\S+)\):\n/).slice(1);
  const byName: Record<string, string> = {};
  for (let i = 0; i + 1 < blocks.length; i += 2) byName[blocks[i]!] = blocks[i + 1]!.trim();
  return byName;
}

/**
 * A run's display without its progress lines: the heading ("Updating (stack):") and what follows them (Diagnostics,
 * Outputs, Resources, Duration). Without a terminal, Pulumi prints a resource's line again at each change of its status,
 * each time with the latest message against it, so a warning shown once in Diagnostics stands on every such line too.
 */
export function runSummary(output: string): string {
  const lines = output.split("\n");
  const summary = lines.findIndex((line) => /^(Diagnostics|Outputs|Resources):$/.test(line));
  if (summary < 0) return output;
  const heading = lines.slice(0, summary).filter((line) => /^\S.*:$/.test(line));
  return [...heading, ...lines.slice(summary)].join("\n");
}

/** One diagnostic event of the engine; `urn` is empty or absent for what is shown against no resource. */
export interface Diagnostic {
  urn?: string;
  severity: string;
  message: string;
}

/** The diagnostics a user would see (debug ones left out) among the events `pulumi <command> --json` printed, one a line. */
export function engineDiagnostics(jsonLines: string): Diagnostic[] {
  return jsonLines
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => (JSON.parse(line) as { diagnosticEvent?: Diagnostic }).diagnosticEvent ?? [])
    .filter((diagnostic) => diagnostic.severity !== "debug");
}

/** Shown against the stack (or nothing) rather than a resource of it. */
export function isStackLevel(diagnostic: Diagnostic): boolean {
  return !diagnostic.urn || diagnostic.urn.includes("::pulumi:pulumi:Stack::");
}
