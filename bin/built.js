// dist/ and examples/bin/ are compiled by `npm run build` and never committed: a checkout that was not built (or whose
// build was deleted by the next one's first step) must say so in one line, not fail to find a file.
const { existsSync } = require("fs");
const path = require("path");

const PACKAGE_ROOT = path.join(__dirname, "..");

/** The one line that says to build, when the compiled `file` is missing; undefined when it is there. */
function notBuiltMessage(name, file) {
  // The root's path, because `npm run build` in a workspace folder (examples/) finds no build script.
  return existsSync(file) ? undefined : `${name}: not built yet: run \`npm run build\` in ${PACKAGE_ROOT} first`;
}

/** Runs the compiled CLI at `file` (relative to the package root), or says that it is not built and exits 1. */
function launch(name, file) {
  const compiled = path.join(PACKAGE_ROOT, file);
  const message = notBuiltMessage(name, compiled);
  if (message !== undefined) {
    console.error(message);
    process.exitCode = 1;
    return;
  }
  require(compiled);
}

module.exports = { launch, notBuiltMessage };
