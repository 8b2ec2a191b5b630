import { DescribeInstanceAttributeRequest, DescribeInstancesRequest } from "@alicloud/ecs20140526";
import { officialEcsClient } from "../../testing/official-ecs-client";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, REGION } from "../../testing/default-world";
import { signedCall } from "../../testing/signing";

const UPPER_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

describe.each(["GET", "POST"] as const)("pop-core over %s", (method) => {
  it("answers JSON with a fresh upper-case RequestId and no Code", async () => {
    const client = popClient(emulator.url, undefined, { method });
    const first = await client.request<Record<string, unknown>>("DescribeInstanceAttribute", { InstanceId: IDS.stopped });
    const second = await client.request<Record<string, unknown>>("DescribeInstanceAttribute", { InstanceId: IDS.stopped });
    expect(first.RequestId).toMatch(UPPER_UUID);
    expect(second.RequestId).not.toBe(first.RequestId);
    expect(first).not.toHaveProperty("Code");
    expect(first).toMatchObject({ InstanceId: IDS.stopped, Status: "Stopped", SecurityGroupIds: { SecurityGroupId: [IDS.sgWeb, IDS.sgDb] } });
  });

  it("passes list parameters (InstanceIds as a JSON array) through", async () => {
    const client = popClient(emulator.url, undefined, { method });
    const answer = await client.request<{ Instances: { Instance: { InstanceId: string }[] }; TotalCount: number }>("DescribeInstances", {
      RegionId: REGION,
      InstanceIds: JSON.stringify([IDS.running, IDS.stopped]),
    });
    expect(answer.Instances.Instance.map((i) => i.InstanceId).sort()).toEqual([IDS.running, IDS.stopped].sort());
    expect(answer.TotalCount).toBe(2);
  });

  it("surfaces an ECS error as err.code and the whole envelope as err.data", async () => {
    const client = popClient(emulator.url, undefined, { method });
    const error = await client.request("DescribeInstanceAttribute", { InstanceId: "i-bp1nosuchthing" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "InvalidInstanceId.NotFound" });
    const data = (error as { data: Record<string, string> }).data;
    expect(Object.keys(data)).toEqual(["RequestId", "HostId", "Code", "Message", "Recommend"]);
    expect(data).toMatchObject({ Code: "InvalidInstanceId.NotFound", Message: "The specified InstanceId does not exist." });
    expect(data.RequestId).toMatch(UPPER_UUID);
  });
});

describe("Format=XML", () => {
  it("renders success as <ActionResponse> with lists as repeated elements", async () => {
    const answer = await signedCall(emulator.url, "DescribeInstanceAttribute", { InstanceId: IDS.stopped, Format: "XML" });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe("text/xml;charset=utf-8");
    expect(answer.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeInstanceAttributeResponse><RequestId>[0-9A-F-]{36}<\/RequestId>/,
    );
    expect(answer.text).toContain(
      `<SecurityGroupIds><SecurityGroupId>${IDS.sgWeb}</SecurityGroupId><SecurityGroupId>${IDS.sgDb}</SecurityGroupId></SecurityGroupIds>`,
    );
    expect(answer.text).toMatch(/<\/DescribeInstanceAttributeResponse>$/);
  });

  it("renders LeaveSecurityGroup's success like the spec's sample", async () => {
    const answer = await signedCall(
      emulator.url,
      "LeaveSecurityGroup",
      { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb, Format: "XML" },
      { method: "POST" },
    );
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/<LeaveSecurityGroupResponse><RequestId>[0-9A-F-]{36}<\/RequestId><\/LeaveSecurityGroupResponse>$/);
  });

  it("renders errors as <Error> with the documented status", async () => {
    const answer = await signedCall(emulator.url, "DescribeInstanceAttribute", { InstanceId: "i-bp1nosuchthing", Format: "XML" });
    expect(answer.status).toBe(404);
    expect(answer.contentType).toBe("text/xml;charset=utf-8");
    expect(answer.text).toMatch(
      /<Error><RequestId>[0-9A-F-]{36}<\/RequestId><HostId>ecs.aliyuncs.com<\/HostId><Code>InvalidInstanceId.NotFound<\/Code><Message>The specified InstanceId does not exist.<\/Message><Recommend>.*<\/Recommend><\/Error>$/,
    );
  });
});

describe("the official @alicloud/ecs20140526 client (ACS3-HMAC-SHA256)", () => {
  it("reads an instance", async () => {
    const answer = await officialEcsClient(emulator.url).describeInstanceAttribute(new DescribeInstanceAttributeRequest({ instanceId: IDS.locked }));
    expect(answer.statusCode).toBe(200);
    expect(answer.body?.securityGroupIds?.securityGroupId).toEqual([IDS.sgWeb, IDS.sgDb]);
    expect(answer.body?.requestId).toMatch(UPPER_UUID);
  });

  it("lists instances of a group", async () => {
    const answer = await officialEcsClient(emulator.url).describeInstances(
      new DescribeInstancesRequest({ regionId: REGION, securityGroupId: IDS.sgWeb }),
    );
    const expected = [IDS.running, IDS.locked, IDS.pending, IDS.stopped];
    expect(answer.body?.instances?.instance?.map((i) => i.instanceId).sort()).toEqual(expected.sort());
  });

  it("gets ECS errors with code, HTTP status and envelope", async () => {
    const error = await officialEcsClient(emulator.url)
      .describeInstanceAttribute(new DescribeInstanceAttributeRequest({ instanceId: "i-bp1nosuchthing" }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "InvalidInstanceId.NotFound", statusCode: 404, data: { Code: "InvalidInstanceId.NotFound" } });
  });
});
