/** Tests are compiled by `tsc` first (npm test runs the build), so jest runs plain JS:
 *  the dynamic provider's closure serialization must see the same code users run. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/dist/tests"],
  testMatch: ["**/*.test.js"],
  transform: {},
  testTimeout: 60000,
  // Jest's default on 2 cores is one worker, but most suites spend their time waiting on processes they start (the
  // pulumi CLI, its language host and plugins, npm, emulators): three files at once keep both cores busy.
  maxWorkers: 3,
  // With no record of a last run (a fresh clone, CI), the slowest files first: see the sequencer.
  testSequencer: "<rootDir>/dist/testing/slowest-first-sequencer.js",
};
