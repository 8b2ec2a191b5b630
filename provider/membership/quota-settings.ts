/**
 * The account's ECS quota as the user states it, so the provider never sends more than the account allows and is
 * never refused: calls a minute per action, and a share of it left for the account's other callers. Unstated, the
 * provider learns the pace from ECS's refusals (calls/account-quota.ts).
 */
import type { StatedQuota } from "../calls/account-quota";
import { OWN_CODES } from "../ecs/codes";
import { MembershipError } from "../ecs/errors";

export const QUOTA_CONFIG_KEY = "alicloud-sg-membership:apiQuota";
export const QUOTA_RESERVE_CONFIG_KEY = "alicloud-sg-membership:apiQuotaReserve";
export const QUOTA_ENV = "ALIBABA_CLOUD_ECS_API_QUOTA";
export const QUOTA_RESERVE_ENV = "ALIBABA_CLOUD_ECS_API_QUOTA_RESERVE";

/** The ECS actions the provider calls: the only names a stated quota may give. */
export const PACED_ACTIONS = ["JoinSecurityGroup", "LeaveSecurityGroup", "DescribeInstances", "DescribeNetworkInterfaces"] as const;

interface Source {
  value: string | undefined;
  name: string;
}

function invalid(setting: string, why: string): MembershipError {
  return new MembershipError(`${setting}: ${why}`, OWN_CODES.invalidSetting);
}

function reserveOf(source: Source): number {
  if (source.value === undefined) return 0;
  const reserve = Number(source.value);
  if (!Number.isFinite(reserve) || reserve < 0 || reserve >= 1) {
    throw invalid(source.name, `${JSON.stringify(source.value)} is not a share of the quota from 0 up to (not including) 1, such as 0.2`);
  }
  return reserve;
}

function perMinuteOf(setting: string, entry: string): [string, number] {
  const [action = "", count = "", ...rest] = entry.split("=").map((part) => part.trim());
  const example = "such as JoinSecurityGroup=100,LeaveSecurityGroup=100,DescribeInstances=300";
  if (rest.length > 0 || count === "") throw invalid(setting, `${JSON.stringify(entry)} is not ACTION=CALLS_PER_MINUTE, ${example}`);
  if (!(PACED_ACTIONS as readonly string[]).includes(action)) {
    throw invalid(setting, `${JSON.stringify(action)} is not an action the provider calls (${PACED_ACTIONS.join(", ")})`);
  }
  const perMinute = Number(count);
  if (!/^\d+$/.test(count) || !Number.isSafeInteger(perMinute) || perMinute < 1) {
    throw invalid(setting, `${action}=${count}: calls per minute must be a whole number of at least 1`);
  }
  return [action, perMinute];
}

/**
 * `quota` is `ACTION=N[,ACTION=N…]`; `reserve` the share left for others. Each comes from the stack config or else the
 * environment; a value that makes no sense is refused in one line naming the setting, before anything is sent.
 */
export function statedQuotas(quota: Source, reserve: Source): Record<string, StatedQuota> {
  const share = reserveOf(reserve);
  if (quota.value === undefined) return {};
  const entries = quota.value.split(",").filter((entry) => entry.trim() !== "");
  if (entries.length === 0) throw invalid(quota.name, "empty: give ACTION=CALLS_PER_MINUTE, such as JoinSecurityGroup=100");
  return Object.fromEntries(
    entries.map((entry) => perMinuteOf(quota.name, entry)).map(([action, perMinute]) => [action, { perMinute, reserve: share }]),
  );
}
