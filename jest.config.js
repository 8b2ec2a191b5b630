/** Tests are compiled by `tsc` first (npm test runs the build), so jest runs plain JS:
 *  the dynamic provider's closure serialization must see the same code users run. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/dist/tests"],
  testMatch: ["**/*.test.js"],
  transform: {},
  testTimeout: 60000,
};
