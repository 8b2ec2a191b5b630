import type { Seed } from "../../../emulator/models";
import { baseSeed, call, ecsErrorOf, newWorld, REGION } from "./world-fixture";

type InstancesPage = {
  Instances: { Instance: { InstanceId: string }[] };
  TotalCount: number;
  PageNumber?: number;
  PageSize?: number;
  NextToken?: string;
};
type EnisPage = {
  NextToken?: string;
  TotalCount: number;
  NetworkInterfaceSets: { NetworkInterfaceSet: { NetworkInterfaceId: string; Type: string }[] };
};

const instanceIds = (page: unknown) => (page as InstancesPage).Instances.Instance.map((i) => i.InstanceId);
const eniIds = (page: unknown) => (page as EnisPage).NetworkInterfaceSets.NetworkInterfaceSet.map((n) => n.NetworkInterfaceId);

/** The base world plus `count` Running instances i-many000…, in order. */
function crowdedSeed(count: number): Seed {
  const seed = baseSeed();
  for (let n = 0; n < count; n++) {
    seed.instances.push({
      instanceId: `i-many${String(n).padStart(3, "0")}`,
      regionId: REGION,
      vpcId: "vpc-b",
      status: "Running",
      securityGroupIds: ["sg-b1"],
      locked: false,
    });
  }
  return seed;
}

describe("DescribeInstanceAttribute", () => {
  test("shows what ECS shows: ID, region, status, groups, VPC, locks, ENIs", () => {
    const { world } = newWorld();
    expect(call(world, "DescribeInstanceAttribute", { InstanceId: "i-run" })).toMatchObject({
      InstanceId: "i-run",
      RegionId: REGION,
      Status: "Running",
      SecurityGroupIds: { SecurityGroupId: ["sg-a1"] },
      VpcAttributes: { VpcId: "vpc-a" },
      OperationLocks: { LockReason: [] },
      NetworkInterfaces: {
        NetworkInterface: [
          { NetworkInterfaceId: "eni-prim", Type: "Primary" },
          { NetworkInterfaceId: "eni-sec", Type: "Secondary" },
        ],
      },
    });
  });
});

describe("DescribeInstances", () => {
  test("RegionId is required and scopes the answer", () => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "DescribeInstances", {}).message).toContain('"RegionId"');
    expect(instanceIds(call(world, "DescribeInstances", { RegionId: "cn-beijing" }))).toEqual([]);
    expect(instanceIds(call(world, "DescribeInstances", { RegionId: REGION }))).toEqual(["i-run", "i-stop", "i-pend", "i-locked"]);
  });

  test("InstanceIds (a JSON array), SecurityGroupId, VpcId and Status filter together; unknown IDs match nothing", () => {
    const { world } = newWorld(crowdedSeed(3));
    const ids = (params: Record<string, string>) => instanceIds(call(world, "DescribeInstances", { RegionId: REGION, ...params }));
    expect(ids({ InstanceIds: JSON.stringify(["i-stop", "i-many001", "i-gone"]) })).toEqual(["i-stop", "i-many001"]);
    expect(ids({ SecurityGroupId: "sg-b1" })).toEqual(["i-many000", "i-many001", "i-many002"]);
    expect(ids({ VpcId: "vpc-a", Status: "Running" })).toEqual(["i-run", "i-locked"]);
    expect(ids({ SecurityGroupId: "sg-a2" })).toEqual([]);
  });

  test.each<[string, Record<string, string>]>([
    ["InstanceIds not JSON", { InstanceIds: "i-run,i-stop" }],
    ["InstanceIds not an array of strings", { InstanceIds: "[1,2]" }],
    ["more than 100 InstanceIds", { InstanceIds: JSON.stringify(Array.from({ length: 101 }, (_, n) => `i-x${n}`)) }],
    ["PageSize over 100", { PageSize: "101" }],
    ["PageNumber 0", { PageNumber: "0" }],
    ["PageSize not a number", { PageSize: "ten" }],
    ["MaxResults over 100", { MaxResults: "101" }],
    ["a NextToken it never issued", { NextToken: "abc" }],
    ["an unknown Status", { Status: "Deleted" }],
  ])("%s fails with InvalidParameter", (_case, params) => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "DescribeInstances", { RegionId: REGION, ...params })).toMatchObject({ code: "InvalidParameter", httpStatus: 400 });
  });

  test("PageNumber/PageSize pages cover every instance once, with TotalCount", () => {
    const { world } = newWorld(crowdedSeed(21));
    const all = instanceIds(call(world, "DescribeInstances", { RegionId: REGION, PageSize: "100" }));
    expect(all).toHaveLength(25);
    const pages = [1, 2, 3].map((n) => call(world, "DescribeInstances", { RegionId: REGION, PageNumber: String(n) }) as InstancesPage);
    expect(pages.map((p) => [p.TotalCount, p.PageNumber, p.PageSize, p.Instances.Instance.length])).toEqual([
      [25, 1, 10, 10],
      [25, 2, 10, 10],
      [25, 3, 10, 5],
    ]);
    expect(pages.flatMap(instanceIds)).toEqual(all);
    expect(instanceIds(call(world, "DescribeInstances", { RegionId: REGION, PageNumber: "4" }))).toEqual([]);
  });

  test("NextToken/MaxResults pages cover every instance once; the last page's NextToken is empty", () => {
    const { world } = newWorld(crowdedSeed(8));
    const seen: string[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const page = call(world, "DescribeInstances", { RegionId: REGION, MaxResults: "5", ...(token ? { NextToken: token } : {}) }) as InstancesPage;
      expect(page.TotalCount).toBe(12);
      seen.push(...instanceIds(page));
      token = page.NextToken;
      calls++;
    } while (token);
    expect(calls).toBe(3);
    expect(seen).toEqual(instanceIds(call(world, "DescribeInstances", { RegionId: REGION, PageSize: "100" })));
  });
});

describe("DescribeSecurityGroups", () => {
  test("lists the region's groups, filtered by SecurityGroupIds and VpcId, with how many targets use each", () => {
    const { world } = newWorld();
    const groups = (params: Record<string, string>) =>
      (call(world, "DescribeSecurityGroups", { RegionId: REGION, ...params }) as { SecurityGroups: { SecurityGroup: { SecurityGroupId: string }[] } })
        .SecurityGroups.SecurityGroup;
    expect(groups({}).map((g) => g.SecurityGroupId)).toEqual(["sg-a1", "sg-a2", "sg-a3", "sg-ae", "sg-b1"]);
    expect(groups({ VpcId: "vpc-b" }).map((g) => g.SecurityGroupId)).toEqual(["sg-b1"]);
    expect(groups({ SecurityGroupIds: '["sg-a1","sg-x1","sg-zz"]' })).toEqual([
      { SecurityGroupId: "sg-a1", SecurityGroupName: "sg-a1", SecurityGroupType: "normal", VpcId: "vpc-a", Description: "", EcsCount: 5 },
    ]);
    expect(call(world, "DescribeSecurityGroups", { RegionId: REGION, PageSize: "2", PageNumber: "3" })).toMatchObject({
      RegionId: REGION,
      TotalCount: 5,
      PageNumber: 3,
      PageSize: 2,
      SecurityGroups: { SecurityGroup: [{ SecurityGroupId: "sg-b1" }] },
    });
    expect(ecsErrorOf(world, "DescribeSecurityGroups", { RegionId: REGION, PageSize: "51" }).code).toBe("InvalidParameter");
    expect(ecsErrorOf(world, "DescribeSecurityGroups", {}).code).toBe("MissingParameter");
  });
});

describe("DescribeNetworkInterfaces", () => {
  test("lists primary and secondary ENIs with their own group lists", () => {
    const { world } = newWorld();
    expect(call(world, "DescribeNetworkInterfaces", { RegionId: REGION })).toMatchObject({
      TotalCount: 3,
      NetworkInterfaceSets: {
        NetworkInterfaceSet: [
          {
            NetworkInterfaceId: "eni-prim",
            Type: "Primary",
            Status: "InUse",
            InstanceId: "i-run",
            VpcId: "vpc-a",
            SecurityGroupIds: { SecurityGroupId: ["sg-a1"] },
          },
          {
            NetworkInterfaceId: "eni-sec",
            Type: "Secondary",
            Status: "InUse",
            InstanceId: "i-run",
            SecurityGroupIds: { SecurityGroupId: ["sg-a2"] },
          },
          {
            NetworkInterfaceId: "eni-free",
            Type: "Secondary",
            Status: "Available",
            InstanceId: "",
            SecurityGroupIds: { SecurityGroupId: ["sg-a1"] },
          },
        ],
      },
    });
  });

  test("filters: NetworkInterfaceId.N, InstanceId, Type, Status; SecurityGroupId matches secondary ENIs only", () => {
    const { world } = newWorld();
    const ids = (params: Record<string, string>) => eniIds(call(world, "DescribeNetworkInterfaces", { RegionId: REGION, ...params }));
    expect(ids({ "NetworkInterfaceId.1": "eni-free", "NetworkInterfaceId.2": "eni-prim" })).toEqual(["eni-prim", "eni-free"]);
    expect(ids({ InstanceId: "i-run" })).toEqual(["eni-prim", "eni-sec"]);
    expect(ids({ Type: "Secondary" })).toEqual(["eni-sec", "eni-free"]);
    expect(ids({ Status: "Available" })).toEqual(["eni-free"]);
    expect(ids({ Status: "InUse" })).toEqual(["eni-prim", "eni-sec"]);
    expect(ids({ SecurityGroupId: "sg-a1" })).toEqual(["eni-free"]);
    expect(ids({ "NetworkInterfaceId.1": "eni-nope" })).toEqual([]);
    expect(eniIds(call(world, "DescribeNetworkInterfaces", { RegionId: "cn-beijing" }))).toEqual([]);
  });

  test("NetworkInterfaceId.N accepts up to 100 and pages by NextToken", () => {
    const { world } = newWorld();
    expect(ecsErrorOf(world, "DescribeNetworkInterfaces", { RegionId: REGION, "NetworkInterfaceId.101": "eni-sec" }).code).toBe("InvalidParameter");
    const first = call(world, "DescribeNetworkInterfaces", { RegionId: REGION, MaxResults: "2" }) as EnisPage;
    expect(eniIds(first)).toEqual(["eni-prim", "eni-sec"]);
    const second = call(world, "DescribeNetworkInterfaces", { RegionId: REGION, MaxResults: "2", NextToken: first.NextToken ?? "" }) as EnisPage;
    expect(eniIds(second)).toEqual(["eni-free"]);
    expect(second.NextToken).toBe("");
  });
});
