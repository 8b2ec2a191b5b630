/**
 * The one lifecycle of a membership, whichever face serves it (the dynamic resource, the provider plugin): check,
 * diff, create, read, update and delete on plain property bags. Every rule the README documents lives below this
 * file; a face only translates its protocol to these calls and their errors to its own.
 */
import { DEFAULT_BACKOFF, type BackoffPolicy } from "../calls/backoff";
import { Deadline } from "../calls/deadline";
import { isMember } from "../ecs/target";
import {
  type CheckFailure,
  type CheckOutcome,
  type MembershipInputs,
  type MembershipOutputs,
  type ValidMembership,
  UNKNOWN_VALUE,
  checkInputs,
  validMembership,
} from "./inputs";
import { OutcomeUnknownError, UnconfirmedWriteError } from "./errors";
import { onceInFull } from "./guidance";
import { MembershipOperation } from "./operation";
import { preflight } from "./preflight";
import { RECENT_STATE_MAX_AGE_MS } from "./recent-states";
import { ecsAccess, progressLog } from "./runtime";
import type { ProviderSettings } from "./settings";

export interface LifecycleOptions {
  /** Backoff of retries and status polls; the defaults suit ECS, tests shorten them. */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** How old a target's state read and diff may use (at most, and by default, RECENT_STATE_MAX_AGE_MS); tests shorten it. */
  recentStateMaxAgeMs?: number;
}

/** Per operation: the face's deadline, when its protocol carries one (the plugin's customTimeouts). */
export interface OperationOptions {
  timeoutMs?: number;
}

export interface DiffOutcome {
  changes: boolean;
  /** Properties whose change means a different membership. */
  replaces: string[];
  /** Settings whose change is an update in place (a face that reports per-property diffs names them). */
  updates: string[];
  /** The target left the group outside Pulumi. */
  drifted: boolean;
}

/** Changing any of these means a different membership. */
export const REPLACE_KEYS = ["instanceId", "networkInterfaceId", "securityGroupId", "regionId"] as const;
export const SETTING_KEYS = ["adoptExisting", "operationTimeoutSeconds"] as const;

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? undefined) === (b ?? undefined);
}

export class MembershipLifecycle {
  constructor(
    /** Read when an operation first needs them, inside the provider process: never captured anywhere. */
    private readonly settings: () => ProviderSettings,
    private readonly options: LifecycleOptions = {},
  ) {}

  /**
   * Validates a program's inputs and fills in the region from configuration; warnings go to the progress log. A problem
   * every resource shares (a region from configuration) is told in full for the first resource of the run, briefly after.
   * Inputs that pass, with their region known, then wait for the run's preflight read (membership/preflight.ts) unless
   * the configuration turns it off: it fails every check when nothing the run would send could work. `faceFailures`:
   * what the face refused itself (a property its protocol does not know), which spares the preflight too.
   */
  async check(news: Record<string, unknown>, faceFailures: readonly CheckFailure[] = []): Promise<CheckOutcome> {
    const settings = this.settings();
    const outcome = checkInputs(news, {
      defaultRegion: settings.defaultRegion,
      defaultRegionSource: settings.defaultRegionSource,
      endpointConfigured: settings.endpointOverride !== undefined,
    });
    const urn = typeof news.__urn === "string" ? news.__urn : undefined;
    for (const { text, brief } of outcome.warnings) progressLog().warn(brief === undefined ? text : onceInFull(text, brief), urn);
    const failures = outcome.failures.map(({ property, reason, brief }) => ({
      property,
      reason: brief === undefined ? reason : onceInFull(reason, brief),
    }));
    const regionId = outcome.inputs.regionId;
    if (settings.preflight && failures.length + faceFailures.length === 0 && typeof regionId === "string" && regionId !== UNKNOWN_VALUE) {
      await preflight(settings, regionId, this.policy(), urn);
    }
    return { ...outcome, failures };
  }

  /** A replace when the membership's identity changes; otherwise an update when it drifted or a setting changed. */
  async diff(olds: MembershipOutputs, news: MembershipInputs): Promise<DiffOutcome> {
    const replaces = REPLACE_KEYS.filter((key) => news[key] === UNKNOWN_VALUE || !sameValue(olds[key], news[key]));
    const updates = SETTING_KEYS.filter((key) => !sameValue(olds[key], news[key]));
    if (replaces.length > 0) return { changes: true, replaces: [...replaces], updates: [...updates], drifted: false };
    const membership = validMembership(news);
    const drifted = !isMember(await this.operationOn(membership).readRecent(this.recentStateMaxAgeMs()), news.securityGroupId);
    if (drifted) {
      progressLog().warn(
        `drift: ${membership.target.id} is no longer in security group ${news.securityGroupId}; an update will rejoin it`,
        membership.urn,
      );
    }
    return { changes: drifted || updates.length > 0, replaces: [], updates: [...updates], drifted };
  }

  /**
   * Joins the group. A membership that already exists is this resource's only if the program adopts it or this
   * stack's interrupted run created it. An OutcomeUnknownError means ECS may still carry the Join out: the face must
   * keep the membership (its ID and properties) in the stack.
   */
  async create(inputs: MembershipInputs, options: OperationOptions = {}): Promise<{ id: string; outs: MembershipOutputs }> {
    const membership = validMembership(inputs, options.timeoutMs);
    const ownInterruptedCreate = membership.urn !== undefined && this.settings().interruptedCreates?.get(membership.urn) === membership.id;
    if (ownInterruptedCreate) {
      progressLog().info(
        `recovering ${membership.id}: a membership this stack's interrupted update created is accepted as this resource's own`,
        membership.urn,
      );
    }
    try {
      const joined = await this.operationOn(membership).join(membership.adoptExisting || ownInterruptedCreate);
      return { id: membership.id, outs: { ...inputs, securityGroupIds: joined?.securityGroupIds ?? [] } };
    } catch (err) {
      if (err instanceof UnconfirmedWriteError) throw new OutcomeUnknownError(err, membership.id, { ...inputs, securityGroupIds: [] });
      throw err;
    }
  }

  /** The membership as ECS shows it now; undefined when it is gone. */
  async read(props: MembershipOutputs): Promise<MembershipOutputs | undefined> {
    const live = await this.operationOn(validMembership(props)).readRecent(this.recentStateMaxAgeMs());
    if (!isMember(live, props.securityGroupId)) return undefined;
    return { ...props, securityGroupIds: live?.securityGroupIds ?? [] };
  }

  /** The membership is the resource's own: after drift, rejoin; if it is there, nothing to do. */
  async update(news: MembershipInputs, options: OperationOptions = {}): Promise<MembershipOutputs> {
    const joined = await this.operationOn(validMembership(news, options.timeoutMs)).join(true);
    return { ...news, securityGroupIds: joined?.securityGroupIds ?? [] };
  }

  /** Delete: leaves the group; a membership, target or group that is already gone is success. */
  async remove(props: MembershipOutputs, options: OperationOptions = {}): Promise<void> {
    await this.operationOn(validMembership(props, options.timeoutMs)).leave();
  }

  private operationOn(membership: ValidMembership): MembershipOperation {
    const settings = this.settings();
    const access = ecsAccess(settings, membership.target.regionId);
    return new MembershipOperation({
      target: membership.target,
      securityGroupId: membership.securityGroupId,
      timeoutSeconds: membership.timeoutMs / 1000,
      deadline: Deadline.after(membership.timeoutMs),
      policy: this.policy(),
      access,
      regionId: membership.target.regionId,
      endpoint: access.endpoint,
      credentials: settings.credentials.description,
      log: progressLog(),
      urn: membership.urn,
    });
  }

  private recentStateMaxAgeMs(): number {
    return Math.min(this.options.recentStateMaxAgeMs ?? RECENT_STATE_MAX_AGE_MS, RECENT_STATE_MAX_AGE_MS);
  }

  private policy(): BackoffPolicy {
    const backoff = this.options.backoff ?? {};
    return {
      baseDelayMs: backoff.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs,
      maxDelayMs: backoff.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
      random: () => Math.random(),
    };
  }
}
