/** Every command a newcomer may run explains itself on -h and --help, without doing anything else. */
import { readFileSync } from "fs";
import * as path from "path";
import { runToExit } from "../../testing/processes";
import { REPO_ROOT } from "../../testing/pulumi-cli";

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
/** What the npm scripts run (the demo, the benchmarks, scripts/install-pulumi), and what else CI runs. */
const scripted = new Set(
  Object.values(manifest.scripts).flatMap((script) => [...script.matchAll(/\b(?:dist|scripts)\/[\w./-]+/g)].map(([file]) => file)),
);
const run = (file: string): string[] => (file.endsWith(".js") ? [process.execPath, path.join(REPO_ROOT, file)] : [path.join(REPO_ROOT, file)]);

const COMMANDS: [string, string[]][] = [
  ...Object.entries(manifest.bin).map(([name, file]): [string, string[]] => [name, run(file)]),
  ...[...scripted, "scripts/test-node22", "scripts/install-pulumi-newest"].map((file): [string, string[]] => [file, run(file)]),
];

describe.each(COMMANDS)("%s", (_name, command) => {
  it.each(["-h", "--help"])("prints its usage on stdout for %s and exits 0", async (flag) => {
    const help = await runToExit([...command, flag]);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toMatch(/^usage: \S/i);
    expect(help.stderr()).toBe("");
  });
});
