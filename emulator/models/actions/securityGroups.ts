import type { ActionResult, ActionSpec, Params } from "../contract";
import { ecsErrors } from "../ecsErrors";
import { countGroupUsers, findSecurityGroup, findVpc } from "../lookup";
import { oneOfParam, optionalParam, requiredParam } from "../request-params";
import type { Store } from "../store";
import { SECURITY_GROUP_TYPES } from "../schemas";

/** Classic-network groups are not modelled, so VpcId is required here (ECS makes it optional). */
function createSecurityGroup(store: Store, params: Params): ActionResult {
  const regionId = requiredParam(params, "RegionId");
  const vpcId = requiredParam(params, "VpcId");
  findVpc(store, vpcId, regionId);
  const securityGroupName = optionalParam(params, "SecurityGroupName") ?? "";
  const securityGroupType = oneOfParam(params, "SecurityGroupType", SECURITY_GROUP_TYPES) ?? "normal";
  const securityGroupId = store.newId("securityGroup");
  store.securityGroups.set(securityGroupId, { securityGroupId, regionId, vpcId, securityGroupName, securityGroupType });
  return { SecurityGroupId: securityGroupId };
}

function deleteSecurityGroup(store: Store, params: Params): ActionResult {
  const regionId = requiredParam(params, "RegionId");
  const group = findSecurityGroup(store, requiredParam(params, "SecurityGroupId"), regionId);
  if (countGroupUsers(store, group.securityGroupId) > 0) throw ecsErrors.dependencyViolation();
  store.securityGroups.delete(group.securityGroupId);
  return {};
}

export const securityGroupActions = (store: Store): Record<string, ActionSpec> => ({
  CreateSecurityGroup: { mutating: true, run: (params) => createSecurityGroup(store, params) },
  DeleteSecurityGroup: { mutating: true, run: (params) => deleteSecurityGroup(store, params) },
});
