import type { Seed } from "../emulator/models";

export const REGION = "cn-hangzhou";

/** Access keys of the default world, one per authentication case. */
export const KEYS = {
  full: { accessKeyId: "LTAI5tEmulatorFull01", accessKeySecret: "full-secret-0001" },
  readOnly: { accessKeyId: "LTAI5tEmulatorRead01", accessKeySecret: "read-secret-0001", readOnly: true },
  sts: { accessKeyId: "STS.EmulatorToken01", accessKeySecret: "sts-secret-0001", securityToken: "sts-token-0001" },
  disabled: { accessKeyId: "LTAI5tEmulatorOff001", accessKeySecret: "off-secret-0001", disabled: true },
} as const;

/** IDs of the default world. */
export const IDS = {
  vpc: "vpc-bp1main",
  otherVpc: "vpc-bp1other",
  sgWeb: "sg-bp1web",
  sgDb: "sg-bp1db",
  sgOps: "sg-bp1ops",
  sgOtherVpc: "sg-bp1othervpc",
  /** Running, only in sgWeb; its primary ENI is eniPrimary. */
  running: "i-bp1running",
  eniPrimary: "eni-bp1primary",
  /** Stopped, in sgWeb and sgDb. */
  stopped: "i-bp1stopped",
  /** Running, locked for security, in sgWeb and sgDb. */
  locked: "i-bp1locked",
  /** Held in Pending (transitionEndsAt null) until patched, in sgWeb and sgDb. */
  pending: "i-bp1pending",
  /** Secondary ENI on `running`, with its own list: sgDb only. */
  eni: "eni-bp1secondary",
} as const;

/** A small world covering every membership case; a fresh copy per call so tests never share state. */
export function defaultSeed(): Seed {
  const inVpc = { regionId: REGION, vpcId: IDS.vpc };
  return {
    accessKeys: Object.values(KEYS).map((key) => ({ ...key })),
    vpcs: [
      { vpcId: IDS.vpc, regionId: REGION },
      { vpcId: IDS.otherVpc, regionId: REGION },
    ],
    securityGroups: [
      { securityGroupId: IDS.sgWeb, ...inVpc, securityGroupName: "web" },
      { securityGroupId: IDS.sgDb, ...inVpc, securityGroupName: "db" },
      { securityGroupId: IDS.sgOps, ...inVpc, securityGroupName: "ops" },
      { securityGroupId: IDS.sgOtherVpc, regionId: REGION, vpcId: IDS.otherVpc, securityGroupName: "elsewhere" },
    ],
    instances: [
      {
        instanceId: IDS.running,
        ...inVpc,
        status: "Running",
        securityGroupIds: [IDS.sgWeb],
        locked: false,
        primaryNetworkInterfaceId: IDS.eniPrimary,
      },
      { instanceId: IDS.stopped, ...inVpc, status: "Stopped", securityGroupIds: [IDS.sgWeb, IDS.sgDb], locked: false },
      { instanceId: IDS.locked, ...inVpc, status: "Running", securityGroupIds: [IDS.sgWeb, IDS.sgDb], locked: true },
      { instanceId: IDS.pending, ...inVpc, status: "Pending", securityGroupIds: [IDS.sgWeb, IDS.sgDb], locked: false, transitionEndsAt: null },
    ],
    networkInterfaces: [{ networkInterfaceId: IDS.eni, ...inVpc, instanceId: IDS.running, securityGroupIds: [IDS.sgDb] }],
  };
}
