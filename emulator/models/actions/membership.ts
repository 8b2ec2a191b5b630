import type { ActionResult, ActionSpec, Params } from "../contract";
import { ecsErrors, NOT_MEMBER_ERRORS } from "../ecsErrors";
import { findInstance, findNetworkInterface, findSecurityGroup, groupType } from "../lookup";
import { optionalParam, requiredParam } from "../request-params";
import type { Store } from "../store";
import type { Instance, SecurityGroup } from "../types";

/** What Join/Leave act on: an instance's primary list (also through its primary ENI) or a secondary ENI's own list. */
interface Target {
  readonly kind: "instance" | "eni";
  readonly regionId: string;
  readonly vpcId: string;
  /** The live list: rules read it, the action changes it in place. */
  readonly securityGroupIds: string[];
  /** The instance whose security lock refuses the change; none for an unattached ENI. */
  readonly instance?: Instance;
  /** Only instances (and primary ENIs) must be Running or Stopped: a secondary ENI has its own state, always usable here. */
  readonly statusGated: boolean;
  /** Holds the conflict window. */
  readonly busy: { busyUntil?: number };
}

function resolveTarget(store: Store, params: Params): Target {
  const instanceId = optionalParam(params, "InstanceId");
  const networkInterfaceId = optionalParam(params, "NetworkInterfaceId");
  const regionId = optionalParam(params, "RegionId");
  if (instanceId !== undefined && networkInterfaceId !== undefined) throw ecsErrors.bothTargets();
  if (networkInterfaceId === undefined) {
    const instance = findInstance(store, instanceId ?? requiredParam(params, "InstanceId"), regionId);
    const { vpcId, securityGroupIds } = instance;
    return { kind: "instance", regionId: instance.regionId, vpcId, securityGroupIds, instance, statusGated: true, busy: instance };
  }
  if (regionId === undefined) throw ecsErrors.missingRegionId();
  const found = findNetworkInterface(store, networkInterfaceId, regionId);
  if (found.kind === "primary") {
    const owner = found.owner;
    return { kind: "eni", regionId, vpcId: owner.vpcId, securityGroupIds: owner.securityGroupIds, instance: owner, statusGated: true, busy: owner };
  }
  const eni = found.eni;
  const instance = eni.instanceId == null ? undefined : store.instances.get(eni.instanceId);
  return { kind: "eni", regionId, vpcId: eni.vpcId, securityGroupIds: eni.securityGroupIds, instance, statusGated: false, busy: eni };
}

/** Checks shared by Join and Leave, in ECS's order: parameters, existence, conflicts, lock, status. */
function prepare(store: Store, params: Params, onPending: () => Error): { target: Target; group: SecurityGroup } {
  const securityGroupId = requiredParam(params, "SecurityGroupId");
  const target = resolveTarget(store, params);
  const group = findSecurityGroup(store, securityGroupId, target.regionId);
  const now = store.now();
  if ((target.busy.busyUntil ?? 0) > now) throw ecsErrors.conflict();
  if (target.instance?.locked) throw ecsErrors.lockedForSecurity();
  const status = target.statusGated ? target.instance?.status : undefined;
  if (status === "Pending") throw onPending();
  if (status !== undefined && status !== "Running" && status !== "Stopped") throw ecsErrors.incorrectStatus();
  return { target, group };
}

/** A change on a target keeps it busy for the conflict window, as an in-flight ECS task would. */
function markBusy(store: Store, target: Target): void {
  const window = store.settings.conflictWindowMs;
  if (window > 0) target.busy.busyUntil = store.now() + window;
}

function join(store: Store, params: Params): ActionResult {
  const { target, group } = prepare(store, params, ecsErrors.beingCreated);
  const ids = target.securityGroupIds;
  if (ids.includes(group.securityGroupId)) throw ecsErrors.alreadyMember();
  if (group.vpcId !== target.vpcId) throw target.kind === "instance" ? ecsErrors.instanceVpcMismatch() : ecsErrors.eniVpcMismatch();
  if (ids.some((id) => groupType(store, id) !== groupType(store, group.securityGroupId))) throw ecsErrors.multiGroupType();
  if (ids.length >= store.settings.maxSecurityGroupsPerTarget) throw ecsErrors.groupLimitExceeded();
  ids.push(group.securityGroupId);
  markBusy(store, target);
  return {};
}

function leave(store: Store, params: Params): ActionResult {
  const { target, group } = prepare(store, params, ecsErrors.incorrectStatus);
  const ids = target.securityGroupIds;
  const index = ids.indexOf(group.securityGroupId);
  if (index < 0) throw NOT_MEMBER_ERRORS[store.settings.notMemberErrorCode]();
  if (ids.length === 1) throw ecsErrors.lastSecurityGroup();
  ids.splice(index, 1);
  markBusy(store, target);
  return {};
}

export const membershipActions = (store: Store): Record<string, ActionSpec> => ({
  JoinSecurityGroup: { mutating: true, run: (params) => join(store, params) },
  LeaveSecurityGroup: { mutating: true, run: (params) => leave(store, params) },
});
