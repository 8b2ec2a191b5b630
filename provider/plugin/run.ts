/** The plugin's entry point, loaded by bin/pulumi-resource-alicloud-sg-membership.js. */
import { serve } from "./main";
import { PACKAGE_NAME } from "./schema";

const USAGE = `Usage: pulumi-resource-${PACKAGE_NAME} [<engine address>]

The Pulumi provider plugin of ${PACKAGE_NAME}: the Pulumi engine starts it (found on PATH, or through a Pulumi.yaml
\`plugins: providers:\` entry), reads the port it serves on from stdout, and drives SecurityGroupMembership over gRPC.
It is not meant to be run by hand. See the README's "Pulumi YAML and other languages".

  -h, --help   this text
`;

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help")) {
  process.stdout.write(USAGE);
} else {
  serve({ args }).catch((err: unknown) => {
    console.error(`pulumi-resource-${PACKAGE_NAME}: ${(err as Error).message}`);
    process.exit(1);
  });
}
