/**
 * What a user of a backend recovery does not repair (Pulumi Cloud, s3://, azblob://, gs://) runs to go back to an
 * earlier checkpoint with Pulumi's own commands. Printed, never run: choosing which version to go back to, and
 * importing it over the stack, is the user's decision.
 */
export function manualSteps(scheme: string, stackArgs: readonly string[], why: string): string {
  const on = stackArgs.length > 0 ? ` ${stackArgs.join(" ")}` : "";
  const where = scheme === "https" || scheme === "http" ? "Pulumi Cloud (or a self-hosted Pulumi service)" : `${scheme}:// storage`;
  return [
    `sg-membership-recover: the stack cannot be opened, and it is kept in ${where}, whose files this command does not repair. Nothing was changed.`,
    `The CLI said: ${why}`,
    "",
    "To go back to the last checkpoint that opens, with Pulumi's own commands:",
    `  pulumi stack history${on}                                # the stack's updates; pick the newest version N that finished`,
    `  pulumi stack export${on} --version N --file checkpoint.json   # that update's checkpoint`,
    `  pulumi stack import${on} --file checkpoint.json              # make it the stack's state`,
    `  npx sg-membership-recover${on} --yes                       # then finish the interrupted run (add --destroy after a destroy)`,
  ].join("\n");
}
