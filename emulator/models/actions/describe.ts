import type { ActionResult, ActionSpec, Params } from "../contract";
import { findInstance } from "../lookup";
import { paginate } from "../paging";
import { indexedListParam, jsonListParam, oneOfParam, optionalParam, requiredParam } from "../request-params";
import { interfaceFacts, renderInstance, renderInterface, renderSecurityGroup, wrap, type InterfaceRow } from "../response-shapes";
import type { Store } from "../store";
import { INSTANCE_STATUSES } from "../schemas";

/** ECS's page-size ceilings per action. */
const MAX_PAGE = { instances: 100, securityGroups: 50, networkInterfaces: 500 };
const MAX_IDS = 100;

/** Keeps items whose key is in the list when the list is given. Unknown IDs simply match nothing, as in ECS. */
function inList<T>(ids: string[] | undefined, key: (item: T) => string): (item: T) => boolean {
  return (item) => ids === undefined || ids.includes(key(item));
}

function equalTo<T>(wanted: string | undefined, value: (item: T) => string | null | undefined): (item: T) => boolean {
  return (item) => wanted === undefined || value(item) === wanted;
}

function describeInstanceAttribute(store: Store, params: Params): ActionResult {
  return renderInstance(store, findInstance(store, requiredParam(params, "InstanceId")));
}

function describeInstances(store: Store, params: Params): ActionResult {
  const regionId = requiredParam(params, "RegionId");
  const ids = jsonListParam(params, "InstanceIds", MAX_IDS);
  const groupId = optionalParam(params, "SecurityGroupId");
  const status = oneOfParam(params, "Status", INSTANCE_STATUSES);
  const matches = [...store.instances.values()]
    .filter(equalTo(regionId, (i) => i.regionId))
    .filter(inList(ids, (i) => i.instanceId))
    .filter(equalTo(optionalParam(params, "VpcId"), (i) => i.vpcId))
    .filter(equalTo(status, (i) => i.status))
    .filter((i) => groupId === undefined || store.shownGroupIds(i.instanceId, i.securityGroupIds).includes(groupId));
  const { page, fields } = paginate(matches, params, MAX_PAGE.instances);
  return {
    Instances: wrap(
      "Instance",
      page.map((i) => renderInstance(store, i)),
    ),
    ...fields,
  };
}

function describeSecurityGroups(store: Store, params: Params): ActionResult {
  const regionId = requiredParam(params, "RegionId");
  const ids = jsonListParam(params, "SecurityGroupIds", MAX_IDS);
  const matches = [...store.securityGroups.values()]
    .filter(equalTo(regionId, (g) => g.regionId))
    .filter(inList(ids, (g) => g.securityGroupId))
    .filter(equalTo(optionalParam(params, "VpcId"), (g) => g.vpcId));
  const { page, fields } = paginate(matches, params, MAX_PAGE.securityGroups);
  return {
    RegionId: regionId,
    SecurityGroups: wrap(
      "SecurityGroup",
      page.map((g) => renderSecurityGroup(store, g)),
    ),
    ...fields,
  };
}

/** Primary ENIs are listed next to their instance; the SecurityGroupId filter matches secondary ENIs only, as in ECS. */
function interfaceRows(store: Store): InterfaceRow[] {
  const rows: InterfaceRow[] = [];
  for (const owner of store.instances.values()) {
    if (owner.primaryNetworkInterfaceId !== undefined) rows.push({ type: "Primary", owner, id: owner.primaryNetworkInterfaceId });
  }
  for (const eni of store.networkInterfaces.values()) rows.push({ type: "Secondary", eni });
  return rows;
}

function describeNetworkInterfaces(store: Store, params: Params): ActionResult {
  const regionId = requiredParam(params, "RegionId");
  const ids = indexedListParam(params, "NetworkInterfaceId", MAX_IDS);
  const groupId = optionalParam(params, "SecurityGroupId");
  const matches = interfaceRows(store)
    .map((row) => ({ row, facts: interfaceFacts(store, row) }))
    .filter(equalTo(regionId, (r) => r.facts.regionId))
    .filter(inList(ids, (r) => r.facts.id))
    .filter(equalTo(optionalParam(params, "InstanceId"), (r) => r.facts.instanceId))
    .filter(equalTo(optionalParam(params, "VpcId"), (r) => r.facts.vpcId))
    .filter(equalTo(oneOfParam(params, "Type", ["Primary", "Secondary"] as const), (r) => r.row.type))
    .filter(equalTo(oneOfParam(params, "Status", ["Available", "InUse"] as const), (r) => r.facts.status))
    .filter((r) => groupId === undefined || (r.row.type === "Secondary" && r.facts.securityGroupIds.includes(groupId)));
  const { page, fields } = paginate(matches, params, MAX_PAGE.networkInterfaces);
  return {
    NetworkInterfaceSets: wrap(
      "NetworkInterfaceSet",
      page.map((r) => renderInterface(store, r.row)),
    ),
    ...fields,
  };
}

export const describeActions = (store: Store): Record<string, ActionSpec> => ({
  DescribeInstanceAttribute: { mutating: false, run: (params) => describeInstanceAttribute(store, params) },
  DescribeInstances: { mutating: false, run: (params) => describeInstances(store, params) },
  DescribeSecurityGroups: { mutating: false, run: (params) => describeSecurityGroups(store, params) },
  DescribeNetworkInterfaces: { mutating: false, run: (params) => describeNetworkInterfaces(store, params) },
});
