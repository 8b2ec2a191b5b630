import { JoinSecurityGroupRequest, LeaveSecurityGroupRequest } from "@alicloud/ecs20140526";
import { officialEcsClient } from "../../testing/official-ecs-client";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, REGION } from "../../testing/default-world";

/** One way of calling Join/Leave, as a user's code would. */
interface Caller {
  name: string;
  call(url: string, action: "JoinSecurityGroup" | "LeaveSecurityGroup", params: Record<string, string>): Promise<unknown>;
}

const lowerFirst = (params: Record<string, string>) =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]));

const CALLERS: Caller[] = [
  { name: "pop-core GET", call: (url, action, params) => popClient(url).request(action, params) },
  { name: "pop-core POST", call: (url, action, params) => popClient(url, undefined, { method: "POST" }).request(action, params) },
  {
    name: "@alicloud/ecs20140526",
    call: (url, action, params) =>
      action === "JoinSecurityGroup"
        ? officialEcsClient(url).joinSecurityGroup(new JoinSecurityGroupRequest(lowerFirst(params)))
        : officialEcsClient(url).leaveSecurityGroup(new LeaveSecurityGroupRequest(lowerFirst(params))),
  },
];

interface ErrorRow {
  row: string;
  action: "JoinSecurityGroup" | "LeaveSecurityGroup";
  params: Record<string, string>;
  status: number;
  code: string;
  message?: string;
  setup?: (emulator: TestEmulator) => Promise<unknown>;
}

const eni = (id: string, group: string) => ({ NetworkInterfaceId: id, SecurityGroupId: group, RegionId: REGION });
const holdStatus = (instanceId: string, status: string) => (e: TestEmulator) =>
  e.patch({ upsert: { instances: [{ instanceId, status, transitionEndsAt: null }] } });
const lock = (instanceId: string) => (e: TestEmulator) => e.patch({ upsert: { instances: [{ instanceId, locked: true }] } });

/** LeaveSecurityGroup's error table from the spec, for an instance and for an ENI, plus the documented newer rows. */
const LEAVE_ROWS: ErrorRow[] = [
  {
    row: "InstanceId does not exist",
    action: "LeaveSecurityGroup",
    params: { InstanceId: "i-bp1nosuchthing", SecurityGroupId: IDS.sgDb },
    status: 404,
    code: "InvalidInstanceId.NotFound",
    message: "The specified InstanceId does not exist.",
  },
  {
    row: "group does not exist (instance)",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: "sg-bp1nosuchthing" },
    status: 404,
    code: "InvalidSecurityGroupId.NotFound",
    message: "The specified SecurityGroupId does not exist.",
  },
  {
    row: "last group (instance)",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.running, SecurityGroupId: IDS.sgWeb },
    status: 403,
    code: "InstanceLastSecurityGroup",
    message: "The specified security group is the last security group for the instance.",
  },
  {
    row: "instance Pending",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.pending, SecurityGroupId: IDS.sgDb },
    status: 403,
    code: "IncorrectInstanceStatus",
    message: "The current status of the resource does not support this operation.",
  },
  {
    row: "instance Stopping",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb },
    status: 403,
    code: "IncorrectInstanceStatus",
    setup: holdStatus(IDS.stopped, "Stopping"),
  },
  {
    row: "instance locked",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.locked, SecurityGroupId: IDS.sgDb },
    status: 403,
    code: "InstanceLockedForSecurity",
    message: "The specified operation is denied as your instance is locked for security reasons.",
  },
  {
    row: "not a member (instance)",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps },
    status: 403,
    code: "InstanceNotInSecurityGroup",
    message: "The instance not in the group.",
  },
  {
    row: "not a member, newer code configured",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps },
    status: 400,
    code: "InvalidSecurityGroupAssociation.NotFound",
    setup: (e) => e.patch({ settings: { notMemberErrorCode: "InvalidSecurityGroupAssociation.NotFound" } }),
  },
  {
    row: "upstream timeout",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb },
    status: 504,
    code: "RequestTimeout",
    message: "The request encounters an upstream server timeout.",
    setup: (e) => e.setFaults([{ action: "LeaveSecurityGroup", kind: "timeout" }]),
  },
  {
    row: "InstanceId malformed",
    action: "LeaveSecurityGroup",
    params: { InstanceId: "web-1", SecurityGroupId: IDS.sgDb },
    status: 400,
    code: "InvalidInstanceId.Malformed",
    message: 'The specified parameter "InstanceId" is not valid.',
  },
  { row: "ENI malformed", action: "LeaveSecurityGroup", params: eni("eni_1", IDS.sgDb), status: 400, code: "InvalidEniId.Malformed" },
  {
    row: "ENI does not exist",
    action: "LeaveSecurityGroup",
    params: eni("eni-bp1nosuchthing", IDS.sgDb),
    status: 404,
    code: "InvalidEniId.NotFound",
  },
  {
    row: "group does not exist (ENI)",
    action: "LeaveSecurityGroup",
    params: eni(IDS.eni, "sg-bp1nosuchthing"),
    status: 404,
    code: "InvalidSecurityGroupId.NotFound",
  },
  { row: "last group (secondary ENI)", action: "LeaveSecurityGroup", params: eni(IDS.eni, IDS.sgDb), status: 403, code: "InstanceLastSecurityGroup" },
  {
    row: "last group (primary ENI)",
    action: "LeaveSecurityGroup",
    params: eni(IDS.eniPrimary, IDS.sgWeb),
    status: 403,
    code: "InstanceLastSecurityGroup",
  },
  { row: "not a member (ENI)", action: "LeaveSecurityGroup", params: eni(IDS.eni, IDS.sgWeb), status: 403, code: "InstanceNotInSecurityGroup" },
  {
    row: "instance locked (secondary ENI)",
    action: "LeaveSecurityGroup",
    params: eni(IDS.eni, IDS.sgDb),
    status: 403,
    code: "InstanceLockedForSecurity",
    setup: lock(IDS.running),
  },
  {
    row: "instance Starting (primary ENI)",
    action: "LeaveSecurityGroup",
    params: eni(IDS.eniPrimary, IDS.sgWeb),
    status: 403,
    code: "IncorrectInstanceStatus",
    setup: holdStatus(IDS.running, "Starting"),
  },
  {
    row: "ENI without RegionId",
    action: "LeaveSecurityGroup",
    params: { NetworkInterfaceId: IDS.eni, SecurityGroupId: IDS.sgDb },
    status: 400,
    code: "MissingParameter.RegionId",
  },
  {
    row: "both InstanceId and NetworkInterfaceId",
    action: "LeaveSecurityGroup",
    params: { ...eni(IDS.eni, IDS.sgDb), InstanceId: IDS.running },
    status: 403,
    code: "InvalidParam.EniIdAndInstanceId.Conflict",
  },
  {
    row: "a Join/Leave already in flight",
    action: "LeaveSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb },
    status: 409,
    code: "InvalidOperation.Conflict",
    setup: async (e) => {
      await e.patch({ settings: { conflictWindowMs: 600_000 } });
      await popClient(e.url).request("JoinSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps });
    },
  },
];

const JOIN_ROWS: ErrorRow[] = [
  {
    row: "already a member",
    action: "JoinSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb },
    status: 403,
    code: "InvalidInstanceId.AlreadyExists",
  },
  {
    row: "group in another VPC (instance)",
    action: "JoinSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOtherVpc },
    status: 400,
    code: "InvalidInstanceId.Mismatch",
  },
  {
    row: "group in another VPC (ENI)",
    action: "JoinSecurityGroup",
    params: eni(IDS.eni, IDS.sgOtherVpc),
    status: 403,
    code: "InvalidOperation.VpcMismatch",
  },
  {
    row: "instance still being created",
    action: "JoinSecurityGroup",
    params: { InstanceId: IDS.pending, SecurityGroupId: IDS.sgOps },
    status: 403,
    code: "Forbidden.InstanceIsBeingCreated",
  },
  {
    row: "group limit reached",
    action: "JoinSecurityGroup",
    params: { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps },
    status: 400,
    code: "InstanceSecurityGroupLimitExceeded",
    setup: (e) => e.patch({ settings: { maxSecurityGroupsPerTarget: 2 } }),
  },
];

describe.each(CALLERS)("$name", (caller) => {
  let emulator: TestEmulator;
  beforeEach(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(() => emulator.close());

  it.each([...LEAVE_ROWS, ...JOIN_ROWS])("$action: $row → $status $code", async ({ action, params, status, code, message, setup }) => {
    await setup?.(emulator);
    const before = await emulator.state();
    const error = (await caller.call(emulator.url, action, params).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; statusCode?: number; data: Record<string, string> } | undefined;
    expect(error).toBeDefined();
    expect(error!.code).toBe(code);
    expect(error!.data).toMatchObject({ Code: code, RequestId: expect.any(String), HostId: expect.any(String) });
    if (message) expect(error!.data.Message).toBe(message);
    if (caller.name.startsWith("@alicloud")) expect(error!.statusCode).toBe(status);
    const after = await emulator.state();
    expect(after.instances.map((i) => i.securityGroupIds)).toEqual(before.instances.map((i) => i.securityGroupIds));
    expect(after.networkInterfaces.map((n) => n.securityGroupIds)).toEqual(before.networkInterfaces.map((n) => n.securityGroupIds));
  });

  it("joins and leaves an instance (Stopped) and a secondary ENI, visible through Describe*", async () => {
    await caller.call(emulator.url, "JoinSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps });
    await caller.call(emulator.url, "LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgWeb });
    await caller.call(emulator.url, "JoinSecurityGroup", eni(IDS.eni, IDS.sgOps));
    await caller.call(emulator.url, "LeaveSecurityGroup", eni(IDS.eni, IDS.sgDb));
    const client = popClient(emulator.url);
    const instance = await client.request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
      InstanceId: IDS.stopped,
    });
    expect(instance.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgDb, IDS.sgOps]);
    const enis = await client.request<{ NetworkInterfaceSets: { NetworkInterfaceSet: { SecurityGroupIds: { SecurityGroupId: string[] } }[] } }>(
      "DescribeNetworkInterfaces",
      { RegionId: REGION, "NetworkInterfaceId.1": IDS.eni },
    );
    expect(enis.NetworkInterfaceSets.NetworkInterfaceSet[0]!.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgOps]);
    // The secondary ENI's list is its own: the instance's primary list did not change.
    const running = await client.request<{ SecurityGroupIds: { SecurityGroupId: string[] } }>("DescribeInstanceAttribute", {
      InstanceId: IDS.running,
    });
    expect(running.SecurityGroupIds.SecurityGroupId).toEqual([IDS.sgWeb]);
  });
});

describe("status rules over time", () => {
  let emulator: TestEmulator;
  beforeEach(async () => {
    emulator = await startTestEmulator({ settings: { statusDelaysMs: { startingToRunning: 300, stoppingToStopped: 300, pendingToRunning: 300 } } });
  });
  afterEach(() => emulator.close());

  async function statusOf(instanceId: string): Promise<string> {
    return (await popClient(emulator.url).request<{ Status: string }>("DescribeInstanceAttribute", { InstanceId: instanceId })).Status;
  }

  async function eventuallyStatus(instanceId: string, status: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await statusOf(instanceId)) !== status) {
      if (Date.now() > deadline) throw new Error(`${instanceId} never became ${status}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it("refuses Join while Starting, then accepts it once the instance is Running", async () => {
    const client = popClient(emulator.url);
    await client.request("StartInstance", { InstanceId: IDS.stopped });
    expect(await statusOf(IDS.stopped)).toBe("Starting");
    const error = await client
      .request("JoinSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps })
      .catch((e: { code: string }) => e);
    expect(error).toMatchObject({ code: "IncorrectInstanceStatus" });
    await eventuallyStatus(IDS.stopped, "Running");
    await client.request("JoinSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps });
    await client.request("StopInstance", { InstanceId: IDS.stopped });
    expect(await statusOf(IDS.stopped)).toBe("Stopping");
    await eventuallyStatus(IDS.stopped, "Stopped");
    await client.request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgOps });
  });

  it("lets an instance reach the group limit of five and no further", async () => {
    const client = popClient(emulator.url);
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await client.request<{ SecurityGroupId: string }>("CreateSecurityGroup", {
        RegionId: REGION,
        VpcId: IDS.vpc,
        SecurityGroupName: `extra-${i}`,
      });
      created.push(answer.SecurityGroupId);
    }
    for (const group of created) await client.request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: group });
    const error = await client
      .request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps })
      .catch((e: { code: string }) => e);
    expect(error).toMatchObject({ code: "InstanceSecurityGroupLimitExceeded" });
    expect((await emulator.state()).instances.find((i) => i.instanceId === IDS.running)!.securityGroupIds).toHaveLength(5);
  });
});
