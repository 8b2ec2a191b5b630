/**
 * The one place that knows what each error code means to this provider: whether it is retried (and how), what it
 * means as the answer to a Join or a Leave, and what to tell the user. Codes are ECS's own, or one of ours below for
 * failures that never produced an ECS answer.
 */
import type { Endpoint } from "./endpoint";
import { EcsApiError } from "./errors";
import { describeTarget, type Target } from "./target";

/**
 * - `always`: reads and writes, with backoff until the operation's deadline (ECS is busy or the network blinked);
 * - `writes`: Join and Leave only (the target is busy or between states; a read would not change by waiting);
 * - `briefly`: a few quick attempts, then fail: waiting cannot fix a wrong endpoint, only a blip (a DNS hiccup, a
 *   restarting proxy) deserves one or two more tries;
 * - `never`: ECS's answer is final.
 */
export type RetryRule = "always" | "writes" | "briefly" | "never";

/** What any call knows of itself: a hint for an answer every call would get alike needs no more. */
export interface CallContext {
  action: string;
  regionId: string;
  endpoint: Endpoint;
  /** Where the credentials in use came from: the stack config keys, the environment variables, or the default chain. */
  credentials: string;
}

export interface HintContext extends CallContext {
  target: Target;
  securityGroupId: string;
  timeoutSeconds: number;
  /** The resource's URN, where known: a hint can then give a command to copy. */
  urn?: string;
}

export interface CodeRule {
  retry: RetryRule;
  /** The answer does not say whether a write took effect: a timeout, a dropped connection, a gateway's 5xx. */
  ambiguous?: boolean;
  /** As the answer to JoinSecurityGroup: the target is already in the group. */
  memberOnJoin?: boolean;
  /** As the answer to LeaveSecurityGroup: the membership (or its target or group) is already gone. */
  goneOnLeave?: boolean;
  /** The instance cannot change groups until it is Running or Stopped: waited for by reading, then the write goes again. */
  settling?: boolean;
  /** The account's quota for the action is spent for this calendar minute (ECS's "user flow control"). */
  quotaSpent?: boolean;
  hint?: (ctx: HintContext) => string;
  /**
   * Set when every call at this endpoint, in this region, with these credentials would get the same answer (credentials
   * refused, a wrong clock, nothing that serves ECS there): what to do, from what any call knows. Such an answer to the
   * preflight read fails a run before anything changes (membership/preflight.ts).
   */
  sameForEveryCall?: (ctx: CallContext) => string;
}

/** Our codes for failures without an ECS error body; every error's `code` is one of these or ECS's own. */
export const TRANSPORT = {
  connectionRefused: "Transport.ConnectionRefused",
  hostNotFound: "Transport.HostNotFound",
  tls: "Transport.TlsError",
  notEcs: "Transport.NotEcs",
  proxyError: "Transport.ProxyError",
  timeout: "Transport.Timeout",
  dropped: "Transport.ConnectionDropped",
  network: "Transport.NetworkError",
} as const;

/** ECS's codes that the provider also reports for its own findings, with the same meaning. */
export const ECS = {
  /** The target is already in the group. */
  alreadyMember: "InvalidInstanceId.AlreadyExists",
  /** The instance is not Running or Stopped (the provider waited, and it did not settle). */
  incorrectStatus: "IncorrectInstanceStatus",
} as const;

/** Our codes for failures the provider itself reports. */
export const OWN_CODES = {
  missingCredentials: "MissingCredentials",
  incompleteCredentials: "IncompleteCredentials",
  invalidInput: "InvalidInput",
  invalidSetting: "InvalidSetting",
  deadlineExceeded: "DeadlineExceeded",
  notVisible: "MembershipNotVisible",
  readWithoutState: "ReadWithoutState",
} as const;

const checkExists = (ctx: HintContext) => `Check that ${describeTarget(ctx.target)} exists in region ${ctx.target.regionId} of this account.`;
const credentials = (ctx: CallContext) =>
  `Check the credentials in use, from ${ctx.credentials} (an STS token must belong to its key and not be expired).`;
const settling = (ctx: HintContext) =>
  `Security groups can only change while the target is Running or Stopped. Wait for it to settle and run again, or raise operationTimeoutSeconds (now ${ctx.timeoutSeconds}s).`;
const busy = () => "Another operation kept the target busy; run again later.";
const ourBug = () => "ECS refused the request itself; this is a bug in the provider: please report it with the RequestId.";
const notEcsApi = (ctx: CallContext) =>
  `The endpoint does not serve ECS's API (version 2014-05-26): check the endpoint, set by ${ctx.endpoint.source}.`;
const clock = () => "The request's timestamp was refused: check this machine's clock (it must be within 15 minutes of the real time).";
const checkEndpoint = (what: string) => (ctx: CallContext) =>
  `${what}: check the endpoint, set by ${ctx.endpoint.source}${ctx.endpoint.source.startsWith("the public") ? ` (is the regionId "${ctx.regionId}" right?)` : ""}.`;
const unreliable = () =>
  "ECS, or a proxy in front of it, kept failing until the deadline: check the network and run again, or raise operationTimeoutSeconds.";

export const ADOPT_HINT =
  "To manage this existing membership with Pulumi, set `adoptExisting: true` on the SecurityGroupMembership; " +
  "or remove the resource from the program if something else manages the membership.";

/** A word for the shell: single-quoted, as URNs hold `$` (nested types) and `::`. */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The way out from where the user stands: a destroy (or an up that removed the membership) has just failed. Setting
 * `retainOnDelete: true` and destroying again fails again, since a destroy uses the options recorded in the state; so
 * the hint gives `pulumi state delete`, which forgets the membership and leaves the target in the group at once, and
 * says how `retainOnDelete` works for next time (it counts once a `pulumi up` has recorded it).
 */
export function lastGroupHint(ctx: Pick<HintContext, "target" | "securityGroupId" | "urn">): string {
  const noun = ctx.target.kind === "instance" ? "instance" : "network interface";
  const forget =
    ctx.urn === undefined
      ? "`pulumi state delete <URN>` (`pulumi stack --show-urns` lists the URNs)"
      : `\`pulumi state delete ${shellWord(ctx.urn)}\``;
  return (
    `The ${describeTarget(ctx.target)} is only in security group ${ctx.securityGroupId}, and ECS requires every instance and network ` +
    `interface to keep at least one security group, so it cannot leave it. Either add the ${noun} to another security group first ` +
    `(for example another SecurityGroupMembership) and run again, or have Pulumi forget this membership and leave the ${noun} in the ` +
    `group: ${forget}, then run again. (\`retainOnDelete: true\` does that only once a \`pulumi up\` has recorded it in the state.)`
  );
}

const never = (hint?: CodeRule["hint"]): CodeRule => ({ retry: "never", hint });
/** A final answer every call would get alike. */
const everyCall = (fix: (ctx: CallContext) => string, retry: RetryRule = "never"): CodeRule => ({ retry, hint: fix, sameForEveryCall: fix });
const gone = (hint?: CodeRule["hint"]): CodeRule => ({ retry: "never", goneOnLeave: true, hint });
const throttled: CodeRule = { retry: "always", hint: () => "ECS kept throttling the requests; run again later, or raise operationTimeoutSeconds." };
/** Paced by the account's quota (calls/account-quota.ts), not by backoff: the next minute is when it can pass. */
const quotaSpent: CodeRule = {
  retry: "always",
  quotaSpent: true,
  hint: (ctx) =>
    `The account's ${ctx.action} quota stayed spent; state it (alicloud-sg-membership:apiQuota) so the provider paces itself below it, leave room for other callers (apiQuotaReserve), or raise operationTimeoutSeconds.`,
};
const serverTrouble: CodeRule = {
  retry: "always",
  ambiguous: true,
  hint: () => "ECS kept failing; run again later, or raise operationTimeoutSeconds.",
};

const RULES: Readonly<Record<string, CodeRule>> = {
  // Membership answers
  "InvalidInstanceId.NotFound": gone(checkExists),
  "InvalidEniId.NotFound": gone(checkExists),
  "InvalidSecurityGroupId.NotFound": gone(
    (ctx) => `Check that security group ${ctx.securityGroupId} exists in region ${ctx.target.regionId} of this account.`,
  ),
  InstanceNotInSecurityGroup: gone(),
  "InvalidSecurityGroupAssociation.NotFound": gone(),
  [ECS.alreadyMember]: {
    retry: "never",
    memberOnJoin: true,
    hint: (ctx) => `${describeTarget(ctx.target)} is already in security group ${ctx.securityGroupId}. ${ADOPT_HINT}`,
  },
  InstanceLastSecurityGroup: never(lastGroupHint),
  [ECS.incorrectStatus]: { retry: "writes", settling: true, hint: settling },
  "InvalidOperation.InvalidEniState": { retry: "writes", hint: settling },
  InstanceLockedForSecurity: never(
    () =>
      "Alibaba Cloud has locked the instance for security reasons; its security groups cannot change until the lock is lifted (see the ECS console or open a support ticket). Not retried.",
  ),
  "InvalidInstanceId.Mismatch": never(() => "The security group must be in the same VPC as the target."),
  "InvalidOperation.VpcMismatch": never(() => "The security group must be in the same VPC as the target."),
  InstanceSecurityGroupLimitExceeded: never(
    () =>
      "The target is already in as many security groups as its quota allows (5 by default): remove one first, or ask Alibaba Cloud for a higher quota.",
  ),
  "InvalidOperation.MultiGroupType": never(() => "A target cannot be in basic and advanced (enterprise) security groups at the same time."),
  // ECS's answer to a Join on a Pending instance.
  "Forbidden.InstanceIsBeingCreated": { retry: "writes", settling: true, hint: settling },
  "InvalidOperation.Conflict": { retry: "writes", hint: busy },
  OperationConflict: { retry: "writes", hint: busy },
  LastTokenProcessing: { retry: "writes", hint: busy },
  // Gateway and service answers
  Throttling: throttled,
  "Throttling.User": quotaSpent,
  "Throttling.Api": throttled,
  "Rejected.Throttling": throttled,
  RequestTimeout: serverTrouble,
  InternalError: serverTrouble,
  UnknownError: serverTrouble,
  ServiceUnavailable: { retry: "always", hint: serverTrouble.hint },
  // A nonce is fresh on every attempt, so a collision does not repeat.
  SignatureNonceUsed: { retry: "always" },
  // Credentials and permissions
  "InvalidAccessKeyId.NotFound": everyCall(credentials),
  InvalidAccessKeyId: everyCall(credentials),
  SignatureDoesNotMatch: everyCall(credentials),
  IncompleteSignature: everyCall(credentials),
  "Forbidden.AccessKeyDisabled": everyCall(credentials),
  "InvalidSecurityToken.Expired": everyCall(credentials),
  "InvalidSecurityToken.Malformed": everyCall(credentials),
  "InvalidSecurityToken.MismatchWithAccessKey": everyCall(credentials),
  "InvalidSecurityToken.Mismatch": everyCall(credentials),
  MissingSecurityToken: everyCall(credentials),
  "Forbidden.RAM": never(
    (ctx) =>
      `The access key is not allowed to call ${ctx.action}: grant ecs:JoinSecurityGroup, ecs:LeaveSecurityGroup, ecs:DescribeInstances and ecs:DescribeNetworkInterfaces to the RAM user or role.`,
  ),
  "InvalidTimeStamp.Expired": everyCall(clock),
  "InvalidTimeStamp.Format": everyCall(clock),
  "InvalidRegionId.NotFound": everyCall((ctx) => `Check the regionId (${ctx.regionId}).`),
  // Requests ECS could not read: input checks should have caught them
  MissingParameter: never(ourBug),
  "MissingParameter.RegionId": never(ourBug),
  InvalidParameter: never(ourBug),
  "InvalidParam.EniIdAndInstanceId.Conflict": never(ourBug),
  "InvalidInstanceId.Malformed": never(ourBug),
  "InvalidSecurityGroupId.Malformed": never(ourBug),
  "InvalidEniId.Malformed": never(ourBug),
  "InvalidInstanceName.Malformed": never(ourBug),
  // Answers of actions this provider never calls (building a world: instances, VPCs, groups): final if ever met.
  "InvalidVpcId.Malformed": never(),
  "InvalidVpcId.NotFound": never(),
  DependencyViolation: never(),
  "InvalidAction.NotFound": everyCall(notEcsApi),
  InvalidVersion: everyCall(notEcsApi),
  // Ours: no ECS answer at all
  [TRANSPORT.connectionRefused]: everyCall(
    checkEndpoint("Nothing accepts connections there (a wrong host or port, or the server is not running)"),
    "briefly",
  ),
  [TRANSPORT.hostNotFound]: everyCall(checkEndpoint("The host name does not resolve"), "briefly"),
  [TRANSPORT.tls]: everyCall(checkEndpoint("The server's TLS certificate does not fit its name, or is not trusted"), "briefly"),
  [TRANSPORT.notEcs]: everyCall(checkEndpoint("Something answers there, but not ECS's API"), "briefly"),
  [TRANSPORT.proxyError]: { retry: "always", ambiguous: true, hint: unreliable },
  [TRANSPORT.timeout]: { retry: "always", ambiguous: true, hint: unreliable },
  [TRANSPORT.dropped]: { retry: "always", ambiguous: true, hint: unreliable },
  [TRANSPORT.network]: { retry: "always", ambiguous: true, hint: unreliable },
};

/** Codes ECS may add later: a server-side failure is retried (and may have taken effect), anything else is final. */
const UNKNOWN_SERVER_ERROR: CodeRule = serverTrouble;
const UNKNOWN_CLIENT_ERROR: CodeRule = { retry: "never" };

export function ruleFor(code: string, httpStatus?: number): CodeRule {
  if (Object.prototype.hasOwnProperty.call(RULES, code)) return RULES[code]!;
  return (httpStatus ?? 0) >= 500 ? UNKNOWN_SERVER_ERROR : UNKNOWN_CLIENT_ERROR;
}

/** Whether `code` has a rule of its own (not the fallback for unknown codes). */
export function isClassified(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(RULES, code);
}

/**
 * Whether `err` is ECS's refusal for the account's flow control (`Throttling.User`): the rest of the calendar minute is
 * spent for the action. Other throttling (`Throttling`, `Throttling.Api`) is the service's, and passes with backoff.
 */
export function isQuotaSpent(err: unknown): boolean {
  return err instanceof EcsApiError && ruleFor(err.code, err.httpStatus).quotaSpent === true;
}

/** Whether an error with this code is tried again in a call of this kind. */
export function retryRule(code: string, httpStatus: number | undefined, kind: "read" | "write"): RetryRule {
  const rule = ruleFor(code, httpStatus).retry;
  if (rule === "writes") return kind === "write" ? "always" : "never";
  return rule;
}
