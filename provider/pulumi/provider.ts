/**
 * SecurityGroupMembershipProvider: the dynamic-provider face of the membership lifecycle (membership/lifecycle.ts). The
 * Pulumi plugin loads the one instance exported as `v1` by dynamic-provider.ts; it can also be driven directly
 * (configure, then check/create/read/diff/update/delete), which is how its tests call it. It only translates: the
 * dynamic provider's bags and results, its `__provider` property, and its way of keeping a create that may have landed.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { OWN_CODES } from "../ecs/codes";
import { MembershipError } from "../ecs/errors";
import { OutcomeUnknownError } from "../membership/errors";
import type { MembershipInputs, MembershipOutputs } from "../membership/inputs";
import { type LifecycleOptions, MembershipLifecycle } from "../membership/lifecycle";
import { useProgressLog } from "../membership/runtime";
import { credentialsOnceInFull } from "../membership/guidance";
import { type ConfigSource, type ProviderSettings, resolveSettings } from "../membership/settings";
import { createProgressLog } from "./engine-log";
import { reportThrottlingAtClose } from "./run-end";
import { withoutEcho } from "./plugin-echo";

export type ProviderOptions = LifecycleOptions;

useProgressLog(createProgressLog);
reportThrottlingAtClose();

interface Configured {
  config?: ConfigSource;
  settings?: ProviderSettings;
  lifecycle?: MembershipLifecycle;
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

/** The state never records `__provider` twice: the engine keeps it beside the outputs. */
function withoutProvider(outs: MembershipOutputs): MembershipOutputs {
  const { __provider: _ignored, ...rest } = outs as MembershipOutputs & { __provider?: unknown };
  return rest;
}

/** Settings that cannot be resolved (half or empty credentials) fail every resource: in full only the first time. */
function settingsOnceInFull(config: ConfigSource | undefined): ProviderSettings {
  try {
    return resolveSettings(config, process.env);
  } catch (err) {
    throw credentialsOnceInFull(err);
  }
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
      const { inputs, failures } = await this.lifecycle().check(news as Record<string, unknown>);
      return { inputs: inputs as unknown as MembershipInputs, failures };
    });
  }

  /** Changes of `__provider` alone (a new version of this package) are no change: the next write records the new one. */
  async diff(_id: string, olds: MembershipOutputs, news: MembershipInputs): Promise<dynamic.DiffResult> {
    return withoutEcho(async () => {
      const { changes, replaces } = await this.lifecycle().diff(olds, news);
      return { changes, replaces, deleteBeforeReplace: false };
    });
  }

  /** Always returns `outs`, so code driving the provider can hand them to `delete` as they are. */
  async create(inputs: MembershipInputs): Promise<Required<dynamic.CreateResult<MembershipOutputs>>> {
    try {
      const { id, outs } = await this.lifecycle().create(inputs);
      return { id, outs: withoutProvider(outs) };
    } catch (err) {
      // The plugin records a create that fails with an ID as created-but-failed: kept in the stack, finished by the next up.
      if (err instanceof OutcomeUnknownError)
        throw new OutcomeUnknownError(err, err.id, { ...withoutProvider(err.properties as unknown as MembershipOutputs) });
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
      const live = await this.lifecycle().read(props);
      return live ? { id, props: withoutProvider(live) } : { id: "" };
    });
  }

  async update(_id: string, _olds: MembershipOutputs, news: MembershipInputs): Promise<dynamic.UpdateResult<MembershipOutputs>> {
    return { outs: withoutProvider(await this.lifecycle().update(news)) };
  }

  async delete(_id: string, props: MembershipOutputs): Promise<void> {
    await withoutEcho(() => this.lifecycle().remove(props));
  }

  private lifecycle(): MembershipLifecycle {
    const configured = configuredOf(this);
    configured.lifecycle ??= new MembershipLifecycle(() => (configured.settings ??= settingsOnceInFull(configured.config)), this.options);
    return configured.lifecycle;
  }
}
