/**
 * The order jest starts test files in. Jest starts first the files that took longest last time, so that its workers
 * finish together; but with no record of a last time (a fresh clone, CI) it starts the largest files first, which put
 * the slowest ones (the documentation's sessions, the packed package in consumer projects, the interrupted runs) after
 * twenty quick ones, and the run ended minutes after the other workers had run out of work. So with no record, the
 * files known to be slow start first, slowest first; the others follow in jest's order.
 */
import TestSequencer from "@jest/test-sequencer";
import type { Test } from "@jest/test-result";
import * as path from "path";

/**
 * Seconds each file took on 2 cores with three workers (a full `npm test` on 2026-12-06, and the split files measured
 * alone on 2026-12-06 under other load, scaled to it), for the files that take 20 s or more: only their order matters.
 * Paths under dist/tests; tests/test-order.test.ts checks that each names a test file.
 */
export const SLOW_FILES: Record<string, number> = {
  "e2e/interrupted.test.js": 164,
  "e2e/package-consumers/typescript.test.js": 100,
  "docs/sessions-newcomer.test.js": 90,
  "docs/sessions-consumer.test.js": 90,
  "e2e/kill-anytime.test.js": 79,
  "e2e/package-consumers/upgrade.test.js": 75,
  "docs/sessions-yaml.test.js": 68,
  "e2e/run-messages.test.js": 64,
  "docs/sessions-clone.test.js": 62,
  "e2e/yaml.test.js": 61,
  "provider/plugin.test.js": 56,
  "provider/provider-plugin.test.js": 55,
  "e2e/package-consumers/oldest-sdk.test.js": 50,
  "e2e/package-consumers/javascript.test.js": 45,
  "e2e/faults.test.js": 44,
  "e2e/throttling-storm.test.js": 43,
  "e2e/demo-flow.test.js": 40,
  "e2e/adopt.test.js": 39,
  "package/help.test.js": 34,
  "e2e/locked-and-read-only.test.js": 33,
  "e2e/replace-and-last-group.test.js": 32,
  "emulator/cli.test.js": 28,
  "docs/docs-blocks.test.js": 25,
  "e2e/wrong-endpoint.test.js": 24,
  "e2e/eni-and-secrets.test.js": 22,
  "provider/deadlines.test.js": 20,
};

const TESTS_ROOT = path.join("dist", "tests");

/** The file's path under dist/tests, as SLOW_FILES names it. */
const underTests = (test: Test): string => path.relative(path.join(test.context.config.rootDir, TESTS_ROOT), test.path);

export default class SlowestFirstSequencer extends TestSequencer {
  override async sort(tests: Test[]): Promise<Test[]> {
    const inJestOrder = await super.sort(tests);
    if (inJestOrder.some((test) => test.duration !== undefined)) return inJestOrder;
    const expected = (test: Test) => SLOW_FILES[underTests(test)] ?? 0;
    return [...inJestOrder].sort((a, b) => expected(b) - expected(a));
  }
}
