import type { ActionResult, ActionSpec, Params } from "../contract";
import { ecsErrors } from "../ecsErrors";
import { findInstance, findSecurityGroup, findVpc, groupType } from "../lookup";
import { booleanParam, indexedListParam, integerParam, optionalParam, requiredParam } from "../request-params";
import { isValidInstanceName } from "../names";
import { wrap } from "../response-shapes";
import { enterStatus } from "../status";
import type { Store } from "../store";
import type { Instance, InstanceStatus } from "../types";

/** The highest N accepted in SecurityGroupIds.N; the group limit is checked separately, with its own error. */
const MAX_INDEXED = 100;

/** The instance a mutating call names; a security lock refuses every change. */
function unlockedInstance(store: Store, params: Params): Instance {
  const instance = findInstance(store, requiredParam(params, "InstanceId"), optionalParam(params, "RegionId"));
  if (instance.locked) throw ecsErrors.lockedForSecurity();
  return instance;
}

function instanceNameParam(params: Params): string | undefined {
  const name = optionalParam(params, "InstanceName");
  if (name !== undefined && !isValidInstanceName(name)) throw ecsErrors.instanceNameMalformed();
  return name;
}

/** A whole group list for one target, as RunInstances and ModifyInstanceAttribute take it: the rules of Join, all at once. */
function checkGroupList(store: Store, ids: string[], target: { regionId: string; vpcId: string }): void {
  const groups = ids.map((id) => findSecurityGroup(store, id, target.regionId));
  if (groups.some((group) => group.vpcId !== target.vpcId)) throw ecsErrors.instanceVpcMismatch();
  if (new Set(ids.map((id) => groupType(store, id))).size > 1) throw ecsErrors.multiGroupType();
  if (ids.length > store.settings.maxSecurityGroupsPerTarget) throw ecsErrors.groupLimitExceeded();
}

function groupsToLaunchIn(params: Params): string[] {
  const single = optionalParam(params, "SecurityGroupId");
  const many = indexedListParam(params, "SecurityGroupIds", MAX_INDEXED);
  if (single !== undefined && many !== undefined) {
    throw ecsErrors.invalidParameter("SecurityGroupIds.N", "SecurityGroupId and SecurityGroupIds.N cannot be given together.");
  }
  return many ?? [single ?? requiredParam(params, "SecurityGroupId")];
}

/**
 * VSwitches are not modelled: the instance goes into VpcId when given, else into the VPC of its first group.
 * ImageId, InstanceType and the like are accepted and ignored.
 */
function runInstances(store: Store, params: Params): ActionResult {
  const regionId = requiredParam(params, "RegionId");
  const groupIds = groupsToLaunchIn(params);
  const vpcId = optionalParam(params, "VpcId") ?? findSecurityGroup(store, groupIds[0], regionId).vpcId;
  findVpc(store, vpcId, regionId);
  checkGroupList(store, groupIds, { regionId, vpcId });
  const amount = integerParam(params, "Amount", { min: 1, max: 100, fallback: 1 });
  const instanceName = instanceNameParam(params);
  const ids = Array.from({ length: amount }, () => {
    const instance: Instance = {
      instanceId: store.newId("instance"),
      regionId,
      vpcId,
      status: "Pending",
      securityGroupIds: [...groupIds],
      locked: false,
      primaryNetworkInterfaceId: store.newId("networkInterface"),
      ...(instanceName === undefined ? {} : { instanceName }),
    };
    enterStatus(instance, "Pending", store.now(), store.settings);
    store.instances.set(instance.instanceId, instance);
    return instance.instanceId;
  });
  return { InstanceIdSets: wrap("InstanceIdSet", ids) };
}

/** Start and Stop: allowed from one stable status only, and go through a transitional one. */
function transition(from: InstanceStatus, via: InstanceStatus) {
  return (store: Store, params: Params): ActionResult => {
    const instance = unlockedInstance(store, params);
    if (instance.status !== from) throw ecsErrors.incorrectStatus();
    enterStatus(instance, via, store.now(), store.settings);
    return {};
  };
}

const startInstance = transition("Stopped", "Starting");
const stopInstance = transition("Running", "Stopping");

/** Only a Stopped instance, unless Force=true. Its secondary ENIs stay, detached. */
function deleteInstance(store: Store, params: Params): ActionResult {
  const instance = unlockedInstance(store, params);
  if (!booleanParam(params, "Force") && instance.status !== "Stopped") throw ecsErrors.incorrectStatus();
  store.instances.delete(instance.instanceId);
  for (const eni of store.networkInterfaces.values()) if (eni.instanceId === instance.instanceId) eni.instanceId = null;
  return {};
}

/** SecurityGroupIds.N replaces the whole primary list at once (ECS applies it after a short delay; here it is immediate). */
function modifyInstanceAttribute(store: Store, params: Params): ActionResult {
  const instance = unlockedInstance(store, params);
  const groupIds = indexedListParam(params, "SecurityGroupIds", MAX_INDEXED);
  const instanceName = instanceNameParam(params);
  if (groupIds !== undefined) {
    if (instance.status !== "Running" && instance.status !== "Stopped") throw ecsErrors.incorrectStatus();
    checkGroupList(store, groupIds, instance);
    instance.securityGroupIds = groupIds;
  }
  if (instanceName !== undefined) instance.instanceName = instanceName;
  return {};
}

export const instanceActions = (store: Store): Record<string, ActionSpec> => ({
  RunInstances: { mutating: true, run: (params) => runInstances(store, params) },
  StartInstance: { mutating: true, run: (params) => startInstance(store, params) },
  StopInstance: { mutating: true, run: (params) => stopInstance(store, params) },
  DeleteInstance: { mutating: true, run: (params) => deleteInstance(store, params) },
  ModifyInstanceAttribute: { mutating: true, run: (params) => modifyInstanceAttribute(store, params) },
});
