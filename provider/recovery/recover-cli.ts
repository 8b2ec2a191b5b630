/**
 * sg-membership-recover: finishes a `pulumi up` or `pulumi destroy` that was interrupted, at whatever moment it was
 * stopped. The steps are in main.ts; `npx sg-membership-recover --help` describes them.
 */
import { run } from "./main";

// `npx` runs a bin in the directory of the nearest package.json above the one it was typed in (npm's prefix): for a
// Pulumi project in a folder of its own inside an npm project (a YAML project has no package.json) that is another
// project. npm keeps the directory it was typed in as INIT_CWD; the project is found from there.
if (process.env.npm_command === "exec" && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

process.exitCode = run(process.argv.slice(2));
