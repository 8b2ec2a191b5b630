/**
 * sg-membership-recover: finishes a `pulumi up` or `pulumi destroy` that was interrupted, at whatever moment it was
 * stopped. The steps are in main.ts; `npx sg-membership-recover --help` describes them.
 */
import { run } from "./main";

process.exitCode = run(process.argv.slice(2));
