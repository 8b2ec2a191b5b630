/**
 * The program of Pulumi.yaml: runs the example named by the stack config `sg-membership-examples:example`.
 */
import * as pulumi from "@pulumi/pulumi";
import { adopt } from "./adopt";
import { basic } from "./basic";
import { eni } from "./eni";
import { fleet } from "./fleet";

const EXAMPLES: Record<string, (config: pulumi.Config) => pulumi.CustomResource[]> = { basic, fleet, eni, adopt };

function selectedExample(config: pulumi.Config): pulumi.CustomResource[] {
  const name = config.get("example") ?? "basic";
  const example = EXAMPLES[name];
  // A RunError is the user's mistake: Pulumi prints its message alone, without "unhandled exception" and a stack trace.
  if (!example)
    throw new pulumi.RunError(`Unknown example "${name}" in sg-membership-examples:example; choose one of ${Object.keys(EXAMPLES).join(", ")}.`);
  return example(config);
}

const memberships = selectedExample(new pulumi.Config());

/** The IDs (`<target>:<group>`) of the memberships this stack manages. */
export const membershipIds = pulumi.all(memberships.map((membership) => membership.id));
