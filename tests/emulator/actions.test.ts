import {
  CreateSecurityGroupRequest,
  DescribeInstancesRequest,
  DescribeNetworkInterfacesRequest,
  DescribeSecurityGroupsRequest,
  ModifyInstanceAttributeRequest,
  RunInstancesRequest,
} from "@alicloud/ecs20140526";
import { officialEcsClient } from "../../testing/official-ecs-client";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, REGION } from "../../testing/default-world";
import { ManualClock } from "./model/world-fixture";

/** The world-building actions over real HTTP, with a clock the test moves so status changes happen on cue. */
let emulator: TestEmulator;
const clock = new ManualClock(Date.now());
const DELAYS = { pendingToRunning: 2000, startingToRunning: 1000, stoppingToStopped: 1000 };

beforeAll(async () => {
  emulator = await startTestEmulator({}, { clock });
});
afterAll(() => emulator.close());

type Instances = {
  Instances: { Instance: { InstanceId: string; Status: string; SecurityGroupIds: { SecurityGroupId: string[] } }[] };
  TotalCount: number;
};

describe("building a world through the API with pop-core", () => {
  const client = () => popClient(emulator.url, undefined, { method: "POST" });
  const status = async (instanceId: string) =>
    (await client().request<{ Status: string }>("DescribeInstanceAttribute", { InstanceId: instanceId })).Status;

  it("creates groups and instances, moves them through their states, and tears them down", async () => {
    const { SecurityGroupId: app } = await client().request<{ SecurityGroupId: string }>("CreateSecurityGroup", {
      RegionId: REGION,
      VpcId: IDS.vpc,
      SecurityGroupName: "app",
    });
    const { SecurityGroupId: cache } = await client().request<{ SecurityGroupId: string }>("CreateSecurityGroup", {
      RegionId: REGION,
      VpcId: IDS.vpc,
      SecurityGroupName: "cache",
    });
    const run = await client().request<{ InstanceIdSets: { InstanceIdSet: string[] } }>("RunInstances", {
      RegionId: REGION,
      SecurityGroupId: app,
      Amount: 2,
      ImageId: "ubuntu_22_04_x64_20G_alibase_20240101.vhd",
      InstanceType: "ecs.g7.large",
    });
    const ids = run.InstanceIdSets.InstanceIdSet;
    expect(ids).toHaveLength(2);
    expect(await status(ids[0])).toBe("Pending");
    await expect(client().request("JoinSecurityGroup", { InstanceId: ids[0], SecurityGroupId: cache })).rejects.toMatchObject({
      code: "Forbidden.InstanceIsBeingCreated",
    });

    clock.advance(DELAYS.pendingToRunning);
    for (const id of ids) await client().request("JoinSecurityGroup", { InstanceId: id, SecurityGroupId: cache });
    const inCache = await client().request<Instances>("DescribeInstances", { RegionId: REGION, SecurityGroupId: cache });
    expect(inCache.Instances.Instance.map((i) => [i.InstanceId, i.Status, i.SecurityGroupIds.SecurityGroupId])).toEqual(
      ids.map((id) => [id, "Running", [app, cache]]),
    );
    await expect(client().request("DeleteSecurityGroup", { RegionId: REGION, SecurityGroupId: cache })).rejects.toMatchObject({
      code: "DependencyViolation",
    });

    await client().request("StopInstance", { InstanceId: ids[0] });
    expect(await status(ids[0])).toBe("Stopping");
    await expect(client().request("DeleteInstance", { InstanceId: ids[0] })).rejects.toMatchObject({ code: "IncorrectInstanceStatus" });
    clock.advance(DELAYS.stoppingToStopped);
    expect(await status(ids[0])).toBe("Stopped");
    await client().request("DeleteInstance", { InstanceId: ids[0] });
    await client().request("DeleteInstance", { InstanceId: ids[1], Force: "true" });
    await expect(client().request("DescribeInstanceAttribute", { InstanceId: ids[1] })).rejects.toMatchObject({
      code: "InvalidInstanceId.NotFound",
    });
    await client().request("DeleteSecurityGroup", { RegionId: REGION, SecurityGroupId: cache });
    await client().request("DeleteSecurityGroup", { RegionId: REGION, SecurityGroupId: app });
    const groups = await client().request<{ SecurityGroups: { SecurityGroup: { SecurityGroupId: string }[] } }>("DescribeSecurityGroups", {
      RegionId: REGION,
      SecurityGroupIds: JSON.stringify([app, cache]),
    });
    expect(groups.SecurityGroups.SecurityGroup).toEqual([]);
  });

  it("StartInstance goes through Starting to Running", async () => {
    await client().request("StartInstance", { InstanceId: IDS.stopped });
    expect(await status(IDS.stopped)).toBe("Starting");
    clock.advance(DELAYS.startingToRunning);
    expect(await status(IDS.stopped)).toBe("Running");
    await client().request("StopInstance", { InstanceId: IDS.stopped });
    clock.advance(DELAYS.stoppingToStopped);
    expect(await status(IDS.stopped)).toBe("Stopped");
  });
});

describe("the official client parses every answer into its typed models", () => {
  const ecs = () => officialEcsClient(emulator.url);

  it("CreateSecurityGroup, RunInstances and ModifyInstanceAttribute with SecurityGroupIds.N", async () => {
    const created = await ecs().createSecurityGroup(
      new CreateSecurityGroupRequest({ regionId: REGION, vpcId: IDS.vpc, securityGroupName: "typed", securityGroupType: "normal" }),
    );
    const groupId = created.body?.securityGroupId;
    expect(groupId).toMatch(/^sg-[a-z0-9]+$/);
    const run = await ecs().runInstances(new RunInstancesRequest({ regionId: REGION, securityGroupIds: [IDS.sgWeb, groupId!], amount: 1 }));
    const [instanceId] = run.body?.instanceIdSets?.instanceIdSet ?? [];
    expect(instanceId).toMatch(/^i-[a-z0-9]+$/);
    clock.advance(DELAYS.pendingToRunning);
    await ecs().modifyInstanceAttribute(new ModifyInstanceAttributeRequest({ instanceId, securityGroupIds: [groupId!, IDS.sgDb] }));
    const described = await ecs().describeInstances(new DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([instanceId]) }));
    expect(described.body?.instances?.instance?.[0]).toMatchObject({
      instanceId,
      status: "Running",
      securityGroupIds: { securityGroupId: [groupId, IDS.sgDb] },
      vpcAttributes: { vpcId: IDS.vpc },
    });
  });

  it("DescribeSecurityGroups and DescribeNetworkInterfaces", async () => {
    const groups = await ecs().describeSecurityGroups(
      new DescribeSecurityGroupsRequest({ regionId: REGION, securityGroupIds: JSON.stringify([IDS.sgWeb, IDS.sgOtherVpc]) }),
    );
    expect(groups.body?.securityGroups?.securityGroup?.map((g) => [g.securityGroupId, g.vpcId])).toEqual([
      [IDS.sgWeb, IDS.vpc],
      [IDS.sgOtherVpc, IDS.otherVpc],
    ]);
    const enis = await ecs().describeNetworkInterfaces(new DescribeNetworkInterfacesRequest({ regionId: REGION, instanceId: IDS.running }));
    expect(
      enis.body?.networkInterfaceSets?.networkInterfaceSet?.map((n) => [n.networkInterfaceId, n.type, n.securityGroupIds?.securityGroupId]),
    ).toEqual([
      [IDS.eniPrimary, "Primary", [IDS.sgWeb]],
      [IDS.eni, "Secondary", [IDS.sgDb]],
    ]);
  });

  it("pages DescribeInstances by NextToken until it is empty", async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecs().describeInstances(new DescribeInstancesRequest({ regionId: REGION, maxResults: 2, nextToken }));
      seen.push(...(page.body?.instances?.instance ?? []).map((i) => i.instanceId!));
      nextToken = page.body?.nextToken || undefined;
    } while (nextToken);
    const all = await popClient(emulator.url).request<Instances>("DescribeInstances", { RegionId: REGION, PageSize: 100 });
    expect(seen).toEqual(all.Instances.Instance.map((i) => i.InstanceId));
    expect(seen.length).toBe(all.TotalCount);
  });
});
