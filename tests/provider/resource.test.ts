/** SecurityGroupMembership in a Pulumi program, with the engine mocked: type token, inputs sent, outputs exposed. */
import * as pulumi from "@pulumi/pulumi";
import { KEYS } from "../../testing/default-world";

const registered: pulumi.runtime.MockResourceArgs[] = [];
const SECRET_CONFIG = { "alicloud:accessKey": KEYS.full.accessKeyId, "alicloud:secretKey": KEYS.full.accessKeySecret };

beforeAll(async () => {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "program-env-secret-1";
  pulumi.runtime.setAllConfig(SECRET_CONFIG, ["alicloud:secretKey"]);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push(args);
        const live = { ...args.inputs, securityGroupIds: ["sg-bp1web", args.inputs.securityGroupId] };
        return { id: `${args.inputs.instanceId ?? args.inputs.networkInterfaceId}:${args.inputs.securityGroupId}`, state: live };
      },
      call: () => ({}),
    },
    "sgm",
    "test",
  );
});
afterAll(() => delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

test("registers with its own type token, the inputs given, and exposes the outputs", async () => {
  // Imported after the mocks are set, as a program would be run.
  const { SecurityGroupMembership, TYPE_TOKEN } = await import("../../provider");
  const membership = new SecurityGroupMembership("web-in-ops", {
    instanceId: pulumi.output("i-bp1running"),
    securityGroupId: "sg-bp1ops",
    regionId: "cn-hangzhou",
    adoptExisting: true,
  });
  expect(await value(membership.id)).toBe("i-bp1running:sg-bp1ops");
  expect(await value(membership.urn)).toBe(`urn:pulumi:test::sgm::${TYPE_TOKEN}::web-in-ops`);
  expect(await value(membership.instanceId)).toBe("i-bp1running");
  expect(await value(membership.securityGroupId)).toBe("sg-bp1ops");
  expect(await value(membership.regionId)).toBe("cn-hangzhou");
  expect(await value(membership.securityGroupIds)).toEqual(["sg-bp1web", "sg-bp1ops"]);
  expect(await value(membership.adoptExisting)).toBe(true);

  const [args] = registered;
  expect(TYPE_TOKEN).toBe("pulumi-nodejs:dynamic/alicloud-sg-membership:SecurityGroupMembership");
  expect(args.type).toBe(TYPE_TOKEN);
  expect(args.inputs).toMatchObject({ instanceId: "i-bp1running", securityGroupId: "sg-bp1ops", regionId: "cn-hangzhou", adoptExisting: true });
  expect(args.inputs.__urn).toBe(`urn:pulumi:test::sgm::${TYPE_TOKEN}::web-in-ops`);
  expect(typeof args.inputs.__provider).toBe("string");
  for (const secret of [...Object.values(SECRET_CONFIG), "program-env-secret-1"]) expect(args.inputs.__provider).not.toContain(secret);
});

test("an ENI membership under a parent component gets its URN from the parent", async () => {
  const { SecurityGroupMembership, TYPE_TOKEN } = await import("../../provider");
  const parent = new pulumi.ComponentResource("test:index:Fleet", "fleet");
  const membership = new SecurityGroupMembership("eni-in-db", { networkInterfaceId: "eni-bp1secondary", securityGroupId: "sg-bp1db" }, { parent });
  expect(await value(membership.networkInterfaceId)).toBe("eni-bp1secondary");
  expect(await value(membership.urn)).toBe(`urn:pulumi:test::sgm::test:index:Fleet$${TYPE_TOKEN}::eni-in-db`);
  const args = registered.find((r) => r.name === "eni-in-db")!;
  expect(args.inputs.__urn).toBe(await value(membership.urn));
  expect(args.inputs.instanceId).toBeUndefined();
});

test("the package's main entry exports the resource and its provider", () => {
  // The package root resolves through package.json "main", as a user's `import ... from "<package>"` does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entry = require(require("path").resolve(__dirname, "../../.."));
  expect(typeof entry.SecurityGroupMembership).toBe("function");
  expect(typeof new entry.SecurityGroupMembershipProvider().create).toBe("function");
});
