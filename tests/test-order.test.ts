/** The order jest starts files in on a fresh clone (testing/slowest-first-sequencer.ts) names files that exist. */
import { existsSync } from "fs";
import * as path from "path";
import { REPO_ROOT } from "../testing/pulumi-cli";
import { SLOW_FILES } from "../testing/slowest-first-sequencer";

test("every file the sequencer starts early is a test file (a renamed one would lose its early start)", () => {
  const missing = Object.keys(SLOW_FILES).filter((file) => !existsSync(path.join(REPO_ROOT, "tests", file.replace(/\.js$/, ".ts"))));
  expect(missing).toEqual([]);
});
