/**
 * The plugin's Pulumi package schema: what Pulumi YAML (and every SDK generator) knows of the resource and its
 * configuration. The properties are the dynamic resource's minus its dynamic-only ones (`__provider`, `__urn`): the
 * plugin is told the URN with every request.
 */
import { readFileSync } from "fs";
import * as path from "path";

export const PACKAGE_NAME = "alicloud-sg-membership";
export const RESOURCE_TOKEN = `${PACKAGE_NAME}:index:SecurityGroupMembership`;

/** The npm package's version, which is also the plugin's (GetPluginInfo, the schema). */
export function packageVersion(): string {
  // dist/provider/plugin/ and provider/plugin/ are both three levels below the package root.
  const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

const string = (description: string) => ({ type: "string", description });

const INPUTS = {
  instanceId: string("The ECS instance that joins the group (i-...); give exactly one of instanceId and networkInterfaceId."),
  networkInterfaceId: string("The elastic network interface that joins the group (eni-...); give exactly one of instanceId and networkInterfaceId."),
  securityGroupId: string("The security group the instance or network interface belongs to (sg-...)."),
  regionId: string("The region of the target and the group, such as cn-hangzhou; defaults to the provider's region."),
  adoptExisting: {
    type: "boolean",
    description: "Whether a membership that already exists becomes this resource's own instead of failing the create (pulumi import does the same).",
  },
  operationTimeoutSeconds: {
    type: "number",
    description: "How long one create, update or delete may take, in seconds (600 by default); customTimeouts win over it.",
  },
};

const OUTPUTS = {
  ...INPUTS,
  securityGroupIds: { type: "array", items: { type: "string" }, description: "Every security group of the target as last seen." },
};

/** Config keys of the plugin, as `pulumi config set alicloud-sg-membership:<key>` sets them. */
export const CONFIG_VARIABLES = {
  region: string("The default region of memberships that give no regionId; else ALIBABA_CLOUD_REGION_ID or ALICLOUD_REGION."),
  ecsEndpoint: string("An ECS endpoint URL that replaces the public per-region one, such as the ECS emulator's; else ALIBABA_CLOUD_ECS_ENDPOINT."),
  endpoint: string("Another name of ecsEndpoint."),
  accessKey: { ...string("The AccessKey ID; else the environment or the Alibaba Cloud default credential chain."), secret: true },
  secretKey: { ...string("The AccessKey secret that goes with accessKey."), secret: true },
  securityToken: { ...string("The STS security token that goes with a temporary accessKey and secretKey."), secret: true },
  apiQuota: string(
    "The account's ECS quota, calls a minute per action, such as JoinSecurityGroup=100,LeaveSecurityGroup=100; else ALIBABA_CLOUD_ECS_API_QUOTA. Unset, the pace is learned from ECS's refusals.",
  ),
  apiQuotaReserve: string(
    "The share of apiQuota left to the account's other callers, from 0 up to 1, such as 0.5 for two stacks at once; else ALIBABA_CLOUD_ECS_API_QUOTA_RESERVE.",
  ),
};

export function schema(version: string): string {
  return JSON.stringify({
    name: PACKAGE_NAME,
    displayName: "Alibaba Cloud security-group membership",
    version,
    description: "One ECS instance's or elastic network interface's membership of one security group.",
    config: { variables: CONFIG_VARIABLES },
    provider: { description: "Where and as whom the memberships are managed.", inputProperties: CONFIG_VARIABLES },
    resources: {
      [RESOURCE_TOKEN]: {
        description: "This ECS instance (or elastic network interface) belongs to this security group: create joins, delete leaves.",
        inputProperties: INPUTS,
        requiredInputs: ["securityGroupId"],
        properties: OUTPUTS,
        required: ["securityGroupId", "regionId", "securityGroupIds"],
      },
    },
    language: { nodejs: { packageName: "pulumi-alicloud-sg-membership" } },
  });
}
