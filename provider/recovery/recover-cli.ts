/**
 * sg-membership-recover: finishes a `pulumi up` or `pulumi destroy` that was interrupted, at whatever moment it was
 * stopped. The steps are in main.ts; `npx sg-membership-recover --help` describes them.
 */
import * as path from "path";
import { run } from "./main";

/**
 * Where the user typed the command. `npx` runs a bin in the directory of the nearest package.json above it (npm's
 * prefix): for a Pulumi project in a folder of its own inside an npm project (a YAML project has no package.json) that
 * is another project. npm keeps the directory it was typed in as INIT_CWD; only one below the current directory is
 * npm's move (an INIT_CWD elsewhere is an outer npm command's, such as the `npm test` a test runs this under).
 */
function typedIn(cwd: string, env: NodeJS.ProcessEnv): string {
  const initial = env.INIT_CWD;
  if (env.npm_command !== "exec" || !initial) return cwd;
  const below = path.relative(cwd, initial);
  return below !== "" && !below.startsWith("..") && !path.isAbsolute(below) ? initial : cwd;
}

process.chdir(typedIn(process.cwd(), process.env));
process.exitCode = run(process.argv.slice(2));
