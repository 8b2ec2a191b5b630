/**
 * What the plugin checks of a resource request before the lifecycle sees it: that it is for the one resource type it
 * serves, and an import's ID. Both fail with a clear message and without any ECS call.
 */
import * as grpc from "@grpc/grpc-js";
import { RequestError } from "./errors";
import { RESOURCE_TOKEN } from "./schema";

/** The type of a URN's resource (`urn:pulumi:stack::project::parent$type::name`). */
function typeOfUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts[2]!.split("$").pop() : undefined;
}

export function requireOwnType(request: { getUrn(): string; getType?(): string }): void {
  const type = request.getType?.() || typeOfUrn(request.getUrn());
  if (type !== RESOURCE_TOKEN) {
    throw new RequestError(
      `unknown resource type ${JSON.stringify(type ?? request.getUrn())}: this plugin serves only ${RESOURCE_TOKEN}`,
      grpc.status.INVALID_ARGUMENT,
    );
  }
}

const IMPORT_ID = /^(i-[a-z0-9]+|eni-[a-z0-9]+):(sg-[a-z0-9]+)$/;

/** The properties an import ID (`<instanceId or networkInterfaceId>:<securityGroupId>`) names. */
export function importedProperties(id: string, regionId: string | undefined): Record<string, string> {
  const match = IMPORT_ID.exec(id);
  if (!match) {
    const shown = JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);
    throw new RequestError(
      `cannot import ${shown}: the ID of a SecurityGroupMembership is <instanceId or networkInterfaceId>:<securityGroupId>, such as i-bp67acfmxazb4p1234:sg-bp67acfmxazb4p1234`,
    );
  }
  if (!regionId) {
    throw new RequestError(
      `cannot import ${id}: no region; set alicloud-sg-membership:region (pulumi config set alicloud-sg-membership:region cn-hangzhou) or ALIBABA_CLOUD_REGION_ID`,
    );
  }
  const [, target, securityGroupId] = match;
  const targetKey = target!.startsWith("i-") ? "instanceId" : "networkInterfaceId";
  return { [targetKey]: target!, securityGroupId: securityGroupId!, regionId };
}
