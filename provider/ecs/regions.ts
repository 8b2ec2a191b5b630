/**
 * ECS's public regions, so `check()` can catch a typo (`cn-hangzhuo`) before any call instead of retrying against a
 * host that does not exist. Compiled on 2026-11-25 from Alibaba Cloud's published region tables ("Regions and zones"
 * of ECS, and the region and endpoint tables of services deployed in every ECS region, last updated November 2024 to
 * October 2025). A region missing here still works with an explicitly configured endpoint: the check then only warns.
 */
export const ECS_REGIONS_COMPILED_ON = "2026-11-25";

export const ECS_REGIONS: readonly string[] = [
  // China
  "cn-qingdao",
  "cn-beijing",
  "cn-zhangjiakou",
  "cn-huhehaote",
  "cn-wulanchabu",
  "cn-hangzhou",
  "cn-shanghai",
  "cn-nanjing",
  "cn-fuzhou",
  "cn-wuhan-lr",
  "cn-shenzhen",
  "cn-heyuan",
  "cn-guangzhou",
  "cn-chengdu",
  "cn-hongkong",
  "cn-zhengzhou-jva",
  // Asia Pacific
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-south-1",
  // Europe, the Americas, the Middle East
  "eu-central-1",
  "eu-west-1",
  "us-east-1",
  "us-west-1",
  "na-south-1",
  "me-east-1",
  "me-central-1",
  // Finance and government clouds
  "cn-hangzhou-finance",
  "cn-shanghai-finance-1",
  "cn-shenzhen-finance-1",
  "cn-beijing-finance-1",
  "cn-north-2-gov-1",
];

export function isKnownRegion(regionId: string): boolean {
  return ECS_REGIONS.includes(regionId);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known regions nearest to `regionId` (at most three, within three edits), nearest first. */
export function nearestRegions(regionId: string): string[] {
  return ECS_REGIONS.map((region) => ({ region, distance: editDistance(regionId, region) }))
    .filter((candidate) => candidate.distance <= 3)
    .sort((a, b) => a.distance - b.distance || a.region.localeCompare(b.region))
    .slice(0, 3)
    .map((candidate) => candidate.region);
}
