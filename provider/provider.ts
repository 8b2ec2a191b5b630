/**
 * SecurityGroupMembershipProvider: the dynamic provider behind SecurityGroupMembership. The Pulumi plugin loads the
 * one instance exported as `v1` by dynamic-provider.ts; it can also be driven directly (configure, then
 * check/create/read/diff/update/delete), which is how its tests call it.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import { type ConfigSource, type ProviderSettings, resolveSettings } from "./config";
import { Deadline } from "./deadline";
import { OWN_CODES } from "./ecs-codes";
import { MembershipError, OutcomeUnknownError, UnconfirmedWriteError } from "./errors";
import { type MembershipInputs, type MembershipOutputs, UNKNOWN_VALUE, checkInputs, membershipId, operationTimeoutMs, targetOf } from "./inputs";
import { type OperationEnv, join, leave, readRecent } from "./membership-ops";
import { withoutEcho } from "./plugin-echo";
import { RECENT_STATE_MAX_AGE_MS } from "./recent-states";
import { isInterruptedCreate } from "./recovery";
import { ecsAccess, progressLog } from "./runtime";
import { isMember } from "./target";

export interface ProviderOptions {
  /** Backoff of retries and status polls; the defaults suit ECS, tests shorten them. */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** How old a target's state read and diff may use (at most, and by default, RECENT_STATE_MAX_AGE_MS); tests shorten it. */
  recentStateMaxAgeMs?: number;
}

/** Changing any of these means a different membership. */
const REPLACE_KEYS = ["instanceId", "networkInterfaceId", "securityGroupId", "regionId"] as const;
const SETTING_KEYS = ["adoptExisting", "operationTimeoutSeconds"] as const;

interface Configured {
  config?: ConfigSource;
  settings?: ProviderSettings;
}

/** Per provider object, kept outside it, so the object itself holds no configuration. */
function configuredOf(provider: object): Configured {
  const holder = globalThis as { __alicloudSgMembershipConfigured?: WeakMap<object, Configured> };
  holder.__alicloudSgMembershipConfigured ??= new WeakMap();
  let configured = holder.__alicloudSgMembershipConfigured.get(provider);
  if (!configured) {
    configured = {};
    holder.__alicloudSgMembershipConfigured.set(provider, configured);
  }
  return configured;
}

function outputsOf(props: MembershipInputs, securityGroupIds: string[] | undefined): MembershipOutputs {
  const { __provider: _ignored, ...rest } = props as MembershipInputs & { __provider?: unknown };
  return { ...rest, securityGroupIds: securityGroupIds ?? [] };
}

/** State and inputs reach create, update and delete only after check, but a hand-edited state may not have. */
function assertValid(props: MembershipInputs): void {
  const { failures } = checkInputs(props as unknown as Record<string, unknown>, { defaultRegion: undefined, endpointConfigured: true });
  if (failures.length > 0) {
    throw new MembershipError(
      `Invalid SecurityGroupMembership: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      OWN_CODES.invalidInput,
    );
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? undefined) === (b ?? undefined);
}

export class SecurityGroupMembershipProvider implements dynamic.ResourceProvider<MembershipInputs, MembershipOutputs> {
  constructor(private readonly options: ProviderOptions = {}) {}

  /** Only reads `config.get`, so code outside Pulumi can hand it settings as a plain object. */
  async configure(req: { config: ConfigSource }): Promise<void> {
    const configured = configuredOf(this);
    configured.config = req.config;
    configured.settings = undefined;
  }

  /** Takes the inputs as a program wrote them (regionId may come from configuration); `olds` is not needed. */
  async check(_olds: Partial<MembershipInputs>, news: Partial<MembershipInputs>): Promise<dynamic.CheckResult<MembershipInputs>> {
    return withoutEcho(async () => {
      const settings = this.settings();
      const context = { defaultRegion: settings.defaultRegion, endpointConfigured: settings.endpointOverride !== undefined };
      const { inputs, failures, warnings } = checkInputs(news as Record<string, unknown>, context);
      for (const warning of warnings) progressLog().warn(warning, typeof news.__urn === "string" ? news.__urn : undefined);
      return { inputs: inputs as unknown as MembershipInputs, failures };
    });
  }

  /** Changes of `__provider` alone (a new version of this package) are no change: the next write records the new one. */
  async diff(_id: string, olds: MembershipOutputs, news: MembershipInputs): Promise<dynamic.DiffResult> {
    const replaces = REPLACE_KEYS.filter((key) => news[key] === UNKNOWN_VALUE || !sameValue(olds[key], news[key]));
    if (replaces.length > 0) return { changes: true, replaces: [...replaces], deleteBeforeReplace: false };
    const settingsChanged = SETTING_KEYS.some((key) => !sameValue(olds[key], news[key]));
    return withoutEcho(async () => {
      const env = this.env(news);
      const drifted = !isMember(await readRecent(env, this.recentStateMaxAgeMs()), news.securityGroupId);
      if (drifted) {
        env.log.warn(`drift: ${env.target.id} is no longer in security group ${news.securityGroupId}; an update will rejoin it`, env.urn);
      }
      return { changes: drifted || settingsChanged, replaces: [], deleteBeforeReplace: false };
    });
  }

  /** Always returns `outs`, so code driving the provider can hand them to `delete` as they are. */
  async create(inputs: MembershipInputs): Promise<Required<dynamic.CreateResult<MembershipOutputs>>> {
    assertValid(inputs);
    const env = this.env(inputs);
    const id = membershipId(inputs);
    const recovered = isInterruptedCreate(inputs.__urn, id);
    if (recovered) env.log.info(`recovering ${id}: a membership this stack's interrupted update created is accepted as this resource's own`, env.urn);
    try {
      const state = await join(env, { acceptExisting: inputs.adoptExisting === true || recovered });
      return { id, outs: outputsOf(inputs, state?.securityGroupIds) };
    } catch (err) {
      // The plugin records a create that fails with an ID as created-but-failed: kept in the stack, finished by the next up.
      if (err instanceof UnconfirmedWriteError) throw new OutcomeUnknownError(err, id, { ...inputs, securityGroupIds: [] });
      throw err;
    }
  }

  async read(id: string, props?: MembershipOutputs): Promise<dynamic.ReadResult<MembershipOutputs>> {
    return withoutEcho(async () => {
      if (!props?.securityGroupId) {
        throw new MembershipError(
          `Cannot read SecurityGroupMembership ${id} without its state; create it with adoptExisting: true instead of importing it.`,
          OWN_CODES.readWithoutState,
        );
      }
      const live = await readRecent(this.env(props), this.recentStateMaxAgeMs());
      if (!isMember(live, props.securityGroupId)) return { id: "" };
      return { id, props: outputsOf(props, live?.securityGroupIds) };
    });
  }

  async update(_id: string, _olds: MembershipOutputs, news: MembershipInputs): Promise<dynamic.UpdateResult<MembershipOutputs>> {
    assertValid(news);
    const env = this.env(news);
    // The membership is ours: after drift, rejoin; if it is there, nothing to do.
    const state = await join(env, { acceptExisting: true });
    return { outs: outputsOf(news, state?.securityGroupIds) };
  }

  async delete(_id: string, props: MembershipOutputs): Promise<void> {
    await withoutEcho(async () => {
      assertValid(props);
      await leave(this.env(props));
    });
  }

  private settings(): ProviderSettings {
    const configured = configuredOf(this);
    configured.settings ??= resolveSettings(configured.config, process.env);
    return configured.settings;
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

  private env(props: MembershipInputs): OperationEnv {
    const target = targetOf(props);
    const timeoutMs = operationTimeoutMs(props);
    const access = ecsAccess(this.settings(), target.regionId);
    return {
      target,
      securityGroupId: props.securityGroupId,
      timeoutSeconds: timeoutMs / 1000,
      deadline: Deadline.after(timeoutMs),
      policy: this.policy(),
      access,
      endpoint: access.endpoint,
      log: progressLog(),
      urn: props.__urn,
    };
  }
}
