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
 * Seconds each file took in one full `npm test` with no jest record (2026-12-07, 2 cores, three workers, beside other
 * projects' builds and tests, which made every file slower: only their order matters), for the files that took 40 s or
 * more there. Paths under dist/tests; tests/test-order.test.ts checks that each names a test file.
 */
export const SLOW_FILES: Record<string, number> = {
  "e2e/interrupted.test.js": 484,
  "e2e/package-consumers/typescript.test.js": 334,
  "docs/sessions-consumer.test.js": 251,
  "docs/sessions-newcomer.test.js": 234,
  "e2e/package-consumers/upgrade.test.js": 209,
  "docs/sessions-go.test.js": 230,
  "docs/sessions-yaml.test.js": 175,
  "e2e/account-quota.test.js": 154,
  "e2e/kill-anytime.test.js": 149,
  "e2e/run-messages.test.js": 116,
  "e2e/move-to-plugin.test.js": 93,
  "e2e/go.test.js": 92,
  "e2e/package-consumers/javascript.test.js": 99,
  "docs/sessions-clone.test.js": 91,
  "e2e/yaml.test.js": 80,
  "e2e/package-consumers/oldest-sdk.test.js": 67,
  "provider/recover-files.test.js": 65,
  "provider/provider-plugin.test.js": 64,
  "provider/endpoints.test.js": 64,
  "e2e/locked-and-read-only.test.js": 63,
  "e2e/faults.test.js": 59,
  "provider/both-faces.test.js": 56,
  "provider/ambiguity.test.js": 53,
  "e2e/replace-and-last-group.test.js": 52,
  "e2e/adopt.test.js": 51,
  "emulator/cli.test.js": 50,
  "e2e/demo-flow.test.js": 49,
  "e2e/wrong-endpoint.test.js": 48,
  "sdk/go-sdk.test.js": 34,
  "emulator/console.test.js": 48,
  "docs/docs-blocks.test.js": 45,
  "provider/plugin.test.js": 41,
  "e2e/eni-and-secrets.test.js": 40,
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
