import { EcsError, World, type ActionResult, type Seed } from "../../../emulator/models";

export const REGION = "cn-hangzhou";

/** A clock the test moves by hand, so status transitions happen exactly when a test says. */
export class ManualClock {
  constructor(private ms = 1_700_000_000_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * A small world: VPC A with groups sg-a1..sg-a3 (normal) and sg-ae (enterprise); VPC B with sg-b1; another region with sg-x1.
 * i-run (Running, in sg-a1, primary ENI eni-prim), i-stop (Stopped), i-pend (Pending, held), i-locked (Running, locked),
 * eni-sec (secondary ENI of i-run, in sg-a2), eni-free (unattached, in sg-a1).
 */
export function baseSeed(): Seed {
  const group = (securityGroupId: string, vpcId: string, regionId = REGION, securityGroupType?: "normal" | "enterprise") => ({
    securityGroupId,
    regionId,
    vpcId,
    securityGroupName: securityGroupId,
    ...(securityGroupType ? { securityGroupType } : {}),
  });
  const instance = (instanceId: string, status: Seed["instances"][number]["status"], extra: Partial<Seed["instances"][number]> = {}) => ({
    instanceId,
    regionId: REGION,
    vpcId: "vpc-a",
    status,
    securityGroupIds: ["sg-a1"],
    locked: false,
    ...extra,
  });
  return {
    accessKeys: [{ accessKeyId: "AKID", accessKeySecret: "secret", readOnly: false }],
    vpcs: [
      { vpcId: "vpc-a", regionId: REGION },
      { vpcId: "vpc-b", regionId: REGION },
      { vpcId: "vpc-x", regionId: "cn-beijing" },
    ],
    securityGroups: [
      group("sg-a1", "vpc-a"),
      group("sg-a2", "vpc-a"),
      group("sg-a3", "vpc-a"),
      group("sg-ae", "vpc-a", REGION, "enterprise"),
      group("sg-b1", "vpc-b"),
      group("sg-x1", "vpc-x", "cn-beijing"),
    ],
    instances: [
      instance("i-run", "Running", { primaryNetworkInterfaceId: "eni-prim" }),
      instance("i-stop", "Stopped"),
      instance("i-pend", "Pending", { transitionEndsAt: null }),
      instance("i-locked", "Running", { locked: true }),
    ],
    networkInterfaces: [
      { networkInterfaceId: "eni-sec", regionId: REGION, vpcId: "vpc-a", instanceId: "i-run", securityGroupIds: ["sg-a2"] },
      { networkInterfaceId: "eni-free", regionId: REGION, vpcId: "vpc-a", instanceId: null, securityGroupIds: ["sg-a1"] },
    ],
  };
}

export function newWorld(seed: Seed = baseSeed()): { world: World; clock: ManualClock } {
  const clock = new ManualClock();
  return { world: World.fromSeed(seed, clock), clock };
}

export function call(world: World, action: string, params: Record<string, string> = {}): ActionResult {
  const spec = world.actions[action];
  if (!spec) throw new Error(`no action ${action}`);
  return spec.run(new Map(Object.entries(params)));
}

/** The EcsError an action throws; fails the test when it succeeds or throws something else. */
export function ecsErrorOf(world: World, action: string, params: Record<string, string>): EcsError {
  let result: ActionResult;
  try {
    result = call(world, action, params);
  } catch (error) {
    if (error instanceof EcsError) return error;
    throw error;
  }
  throw new Error(`${action} succeeded with ${JSON.stringify(result)}; an ECS error was expected`);
}

export function groupsOf(world: World, instanceId: string): string[] {
  const attribute = call(world, "DescribeInstanceAttribute", { InstanceId: instanceId }) as { SecurityGroupIds: { SecurityGroupId: string[] } };
  return attribute.SecurityGroupIds.SecurityGroupId;
}

export function statusOf(world: World, instanceId: string): string {
  return (call(world, "DescribeInstanceAttribute", { InstanceId: instanceId }) as { Status: string }).Status;
}

export function eniGroupsOf(world: World, networkInterfaceId: string): string[] {
  const result = call(world, "DescribeNetworkInterfaces", { RegionId: REGION, "NetworkInterfaceId.1": networkInterfaceId }) as {
    NetworkInterfaceSets: { NetworkInterfaceSet: { SecurityGroupIds: { SecurityGroupId: string[] } }[] };
  };
  const [eni] = result.NetworkInterfaceSets.NetworkInterfaceSet;
  if (!eni) throw new Error(`DescribeNetworkInterfaces does not list ${networkInterfaceId}`);
  return eni.SecurityGroupIds.SecurityGroupId;
}
