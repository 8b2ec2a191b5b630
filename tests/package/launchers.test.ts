/**
 * The committed launchers of the package's commands and of the examples' Pulumi program say in one line to build first
 * when the build they run is missing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runToExit } from "../../testing/processes";
import { REPO_ROOT } from "../../testing/pulumi-cli";

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };

describe("in a checkout that was not built", () => {
  let root: string;
  beforeAll(() => {
    // A copy without dist/ and examples/bin/: the tests running beside this one use the real build.
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sg-membership-unbuilt-")));
    for (const committed of ["package.json", "bin", "examples/main.js"]) {
      fs.cpSync(path.join(REPO_ROOT, committed), path.join(root, committed), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const notBuilt = (name: string): string => `${name}: not built yet: run \`npm run build\` in ${root} first`;

  it.each(Object.entries(manifest.bin))("%s says to build first, in one line, and exits 1", async (name, file) => {
    const run = await runToExit([process.execPath, path.join(root, file), "--help"]);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toBe(`${notBuilt(name)}\n`);
    expect(run.stdout()).toBe("");
  });

  it("the examples' Pulumi program throws a RunError (Pulumi prints its message without a stack trace) saying to build first", async () => {
    const load = `
      const { RunError } = require("@pulumi/pulumi");
      try { require("./examples/main.js"); } catch (error) { console.log(JSON.stringify({ runError: RunError.isInstance(error), message: error.message })); }`;
    const run = await runToExit([process.execPath, "-e", load], { cwd: root });
    expect(await run.exited).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual({ runError: true, message: notBuilt("sg-membership-examples") });
  });
});
