/**
 * SecurityGroupMembershipProvider: the dynamic provider behind SecurityGroupMembership. It can also be driven directly
 * (configure, then check/create/read/diff/update/delete), which is how its tests call it.
 *
 * Serialization note: Pulumi serializes this object by value into the state (`__provider`). It therefore holds no
 * settings, credentials or clients; those live in process-wide maps created on first use inside the provider process.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ConfigSource, ProviderSettings, resolveSettings } from "./config";
import { MembershipError } from "./errors";
import {
  MembershipInputs,
  MembershipOutputs,
  UNKNOWN_VALUE,
  checkInputs,
  membershipId,
  operationTimeoutMs,
  targetOf,
} from "./inputs";
import { OperationEnv, isMember, join, leave, readRecent } from "./membership-ops";
import { RECENT_STATE_MAX_AGE_MS } from "./recent-states";
import { BackoffPolicy, DEFAULT_BACKOFF, Deadline } from "./retry";
import { ecsAccess, progressLog } from "./runtime";
import { withTargetLock } from "./target-lock";

export interface ProviderOptions {
  /** Backoff of retries and status polls; the defaults suit ECS, tests shorten them. */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** How old a target's state read and diff may use (at most, and by default, RECENT_STATE_MAX_AGE_MS); tests shorten it. */
  recentStateMaxAgeMs?: number;
}

/** Changing any of these means a different membership. */
const REPLACE_KEYS = ["instanceId", "networkInterfaceId", "securityGroupId", "regionId"] as const;
const SETTING_KEYS = ["adoptExisting", "operationTimeoutSeconds"] as const;

interface ProviderState {
  config?: ConfigSource;
  settings?: ProviderSettings;
}

/** Per provider object, outside it, so configuration never becomes part of what Pulumi serializes. */
function stateOf(provider: object): ProviderState {
  const holder = globalThis as { __alicloudSgMembershipProviders?: WeakMap<object, ProviderState> };
  holder.__alicloudSgMembershipProviders ??= new WeakMap();
  let state = holder.__alicloudSgMembershipProviders.get(provider);
  if (!state) {
    state = {};
    holder.__alicloudSgMembershipProviders.set(provider, state);
  }
  return state;
}

function outputsOf(props: MembershipInputs, securityGroupIds: string[] | undefined): MembershipOutputs {
  const { __provider: _ignored, ...rest } = props as MembershipInputs & { __provider?: unknown };
  return { ...rest, securityGroupIds: securityGroupIds ?? [] };
}

function assertValid(props: MembershipInputs): void {
  const { failures } = checkInputs(props as unknown as Record<string, unknown>, undefined);
  if (failures.length > 0) {
    throw new MembershipError(`Invalid SecurityGroupMembership: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? undefined) === (b ?? undefined);
}

export class SecurityGroupMembershipProvider implements dynamic.ResourceProvider<MembershipInputs, MembershipOutputs> {
  constructor(private readonly options: ProviderOptions = {}) {}

  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    const state = stateOf(this);
    state.config = req.config;
    state.settings = undefined;
  }

  async check(_olds: MembershipInputs, news: MembershipInputs): Promise<dynamic.CheckResult<MembershipInputs>> {
    const { inputs, failures } = checkInputs(news as unknown as Record<string, unknown>, this.settings().defaultRegion);
    return { inputs: inputs as unknown as MembershipInputs, failures };
  }

  async diff(_id: string, olds: MembershipOutputs, news: MembershipInputs): Promise<dynamic.DiffResult> {
    const replaces = REPLACE_KEYS.filter((key) => news[key] === UNKNOWN_VALUE || !sameValue(olds[key], news[key]));
    if (replaces.length > 0) return { changes: true, replaces: [...replaces], deleteBeforeReplace: false };
    const settingsChanged = SETTING_KEYS.some((key) => !sameValue(olds[key], news[key]));
    const env = this.env(news);
    const drifted = !isMember(await readRecent(env, this.recentStateMaxAgeMs()), news.securityGroupId);
    if (drifted) {
      env.log.warn(`drift: ${targetOf(news).id} is no longer in security group ${news.securityGroupId}; an update will rejoin it`, env.urn);
    }
    return { changes: drifted || settingsChanged, replaces: [], deleteBeforeReplace: false };
  }

  async create(inputs: MembershipInputs): Promise<dynamic.CreateResult<MembershipOutputs>> {
    assertValid(inputs);
    const env = this.env(inputs);
    const state = await withTargetLock(this.lockKey(env), () => join(env, inputs.adoptExisting === true));
    return { id: membershipId(inputs), outs: outputsOf(inputs, state?.securityGroupIds) };
  }

  async read(id: string, props?: MembershipOutputs): Promise<dynamic.ReadResult<MembershipOutputs>> {
    if (!props?.securityGroupId) {
      throw new MembershipError(`Cannot read SecurityGroupMembership ${id} without its state; create it with adoptExisting: true instead of importing it.`);
    }
    const live = await readRecent(this.env(props), this.recentStateMaxAgeMs());
    if (!isMember(live, props.securityGroupId)) return { id: "" };
    return { id, props: outputsOf(props, live?.securityGroupIds) };
  }

  async update(_id: string, _olds: MembershipOutputs, news: MembershipInputs): Promise<dynamic.UpdateResult<MembershipOutputs>> {
    assertValid(news);
    const env = this.env(news);
    // The membership is ours: after drift, rejoin; if it is there, nothing to do.
    const state = await withTargetLock(this.lockKey(env), () => join(env, true));
    return { outs: outputsOf(news, state?.securityGroupIds) };
  }

  async delete(_id: string, props: MembershipOutputs): Promise<void> {
    assertValid(props);
    const env = this.env(props);
    await withTargetLock(this.lockKey(env), () => leave(env));
  }

  private settings(): ProviderSettings {
    const state = stateOf(this);
    state.settings ??= resolveSettings(state.config, process.env);
    return state.settings;
  }

  private recentStateMaxAgeMs(): number {
    return this.options.recentStateMaxAgeMs ?? RECENT_STATE_MAX_AGE_MS;
  }

  private policy(): BackoffPolicy {
    const backoff = this.options.backoff ?? {};
    return {
      baseDelayMs: backoff.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs,
      maxDelayMs: backoff.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
      random: () => Math.random(),
    };
  }

  private env(props: MembershipInputs): OperationEnv {
    const target = targetOf(props);
    const policy = this.policy();
    const timeoutMs = operationTimeoutMs(props);
    return {
      target,
      securityGroupId: props.securityGroupId,
      timeoutSeconds: timeoutMs / 1000,
      deadline: Deadline.after(timeoutMs),
      policy,
      access: ecsAccess(this.settings(), target.regionId),
      log: progressLog(),
      urn: props.__urn,
    };
  }

  private lockKey(env: OperationEnv): string {
    return `${env.target.regionId}/${env.target.id}`;
  }
}
