/**
 * The world `ecs-emulator` starts with when no --seed is given: the basic example's (examples/basic/seed.json, which a
 * test keeps equal to this), so README's Install path and the example's docs name IDs and test keys that exist in it.
 * A module rather than a JSON file: it ships with the compiled emulator, and the package's `files` stay as they are.
 * The keys are documented test keys of this emulator, never real credentials.
 */
import type { Seed } from "./models";

export const DEFAULT_WORLD_NAME = "the basic example's, see docs/emulator.md#the-default-world";

export function defaultWorld(): Seed {
  return {
    accessKeys: [
      {
        accessKeyId: "LTAI5tExampleFull01",
        accessKeySecret: "example-full-secret-01",
        readOnly: false,
      },
      {
        accessKeyId: "LTAI5tExampleRead01",
        accessKeySecret: "example-read-secret-01",
        readOnly: true,
      },
      {
        accessKeyId: "STS.ExampleToken01",
        accessKeySecret: "example-sts-secret-01",
        securityToken: "example-sts-token-01",
      },
    ],
    vpcs: [
      {
        vpcId: "vpc-bp1demo",
        regionId: "cn-hangzhou",
      },
    ],
    securityGroups: [
      {
        securityGroupId: "sg-bp1web",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1demo",
        securityGroupName: "web",
      },
      {
        securityGroupId: "sg-bp1app",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1demo",
        securityGroupName: "app",
      },
      {
        securityGroupId: "sg-bp1dbclients",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1demo",
        securityGroupName: "db-clients",
      },
      {
        securityGroupId: "sg-bp1monitoring",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1demo",
        securityGroupName: "monitoring",
      },
    ],
    instances: [
      {
        instanceId: "i-bp1web01",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1demo",
        status: "Running",
        securityGroupIds: ["sg-bp1web"],
        locked: false,
        instanceName: "web-01",
      },
      {
        instanceId: "i-bp1app01",
        regionId: "cn-hangzhou",
        vpcId: "vpc-bp1demo",
        status: "Stopped",
        securityGroupIds: ["sg-bp1app"],
        locked: false,
        instanceName: "app-01",
      },
    ],
    networkInterfaces: [],
  };
}
