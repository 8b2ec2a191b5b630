/**
 * Run-time settings of the provider process: credentials, default region and ECS endpoint. They come from the stack
 * configuration handed to `configure` and from the environment, read when first needed inside the provider process,
 * so nothing here is ever captured in the serialized provider or written to state.
 */
import { DefaultCredentialsProvider } from "@alicloud/credentials";
import { createHash } from "crypto";
import { OWN_CODES } from "../ecs/codes";
import type { StatedQuota } from "../calls/account-quota";
import type { Credentials, CredentialsSource } from "../ecs/credentials";
import type { Endpoint } from "../ecs/endpoint";
import { MembershipError } from "../ecs/errors";
import { interruptedCreatesOf } from "./interrupted-creates";
import { PREFLIGHT_CONFIG_KEY, PREFLIGHT_ENV, preflightEnabled } from "./preflight-setting";
import { QUOTA_CONFIG_KEY, QUOTA_ENV, QUOTA_RESERVE_CONFIG_KEY, QUOTA_RESERVE_ENV, statedQuotas } from "./quota-settings";

/** The part of Pulumi's dynamic-provider Config this provider reads ("namespace:key" names). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface ProviderSettings {
  defaultRegion: string | undefined;
  /** Where defaultRegion came from, for messages about it: the stack config key or the environment variables. */
  defaultRegionSource?: string;
  /** Overrides the per-region public endpoint, e.g. to point at the ECS emulator. */
  endpointOverride: Endpoint | undefined;
  credentials: CredentialsSource;
  /** The account's quota per action, where the user stated it. */
  quotas: Record<string, StatedQuota>;
  /** Whether the first check of a run sends the preflight read (membership/preflight.ts). */
  preflight: boolean;
  /** By resource URN, the membership IDs an interrupted run created, when sg-membership-recover runs this `pulumi up`. */
  interruptedCreates?: ReadonlyMap<string, string>;
}

/** Stack config key for our own endpoint override (the alicloud:* keys are shared with @pulumi/alicloud). */
export const ENDPOINT_CONFIG_KEY = "alicloud-sg-membership:ecsEndpoint";
export const ENDPOINT_ENV = "ALIBABA_CLOUD_ECS_ENDPOINT";

const ENV_NAMES = {
  accessKey: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"],
  secretKey: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
  securityToken: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
  region: ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"],
} as const;

type SettingKey = keyof typeof ENV_NAMES;

/**
 * The stack config keys ("namespace:key") each setting is read from. The dynamic resource shares the alicloud:* keys
 * with @pulumi/alicloud; the provider plugin is handed only its own package's config, so it names its own keys, and
 * every message then names the keys its users set.
 */
export interface ConfigKeyNames {
  accessKey: string;
  secretKey: string;
  securityToken: string;
  region: string;
  endpoint: string;
}

export const DYNAMIC_CONFIG_KEYS: ConfigKeyNames = {
  accessKey: "alicloud:accessKey",
  secretKey: "alicloud:secretKey",
  securityToken: "alicloud:securityToken",
  region: "alicloud:region",
  endpoint: ENDPOINT_CONFIG_KEY,
};

/** Where every explanation of how to set credentials starts: later resources of a run are told briefly. */
export const HOW_TO_SET_CREDENTIALS_START = "set them in the stack config (";

function howToSetCredentials(keys: ConfigKeyNames): string {
  return (
    `${HOW_TO_SET_CREDENTIALS_START}pulumi config set --secret ${keys.accessKey} <id>; pulumi config set --secret ${keys.secretKey} <secret>; ` +
    `optionally ${keys.securityToken}), or in the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, ` +
    "or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), or through the Alibaba Cloud default credential chain " +
    "(~/.alibabacloud/credentials.ini, ~/.aliyun/config.json, ALIBABA_CLOUD_ECS_METADATA for an ECS RAM role, ALIBABA_CLOUD_CREDENTIALS_URI)"
  );
}

type Env = Record<string, string | undefined>;

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function fromEnv(env: Env, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = nonEmpty(env[name]);
    if (value) return value;
  }
  return undefined;
}

/** One source (config, or environment) supplies a whole key pair; a half pair is a mistake worth naming. */
function staticCredentials(
  where: string,
  read: (key: SettingKey) => string | undefined,
  names: (key: SettingKey) => string,
  howTo: string,
): Credentials | undefined {
  const accessKeyId = read("accessKey");
  const accessKeySecret = read("secretKey");
  if (!accessKeyId && !accessKeySecret) return undefined;
  if (!accessKeyId || !accessKeySecret) {
    const missing = accessKeyId ? names("secretKey") : names("accessKey");
    throw new MembershipError(`Incomplete Alibaba Cloud credentials in ${where}: ${missing} is not set; ${howTo}.`, OWN_CODES.incompleteCredentials);
  }
  return { accessKeyId, accessKeySecret, securityToken: read("securityToken") };
}

function fixedSource(description: string, credentials: Credentials): CredentialsSource {
  const fingerprint = createHash("sha256")
    .update([credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken ?? ""].join("\n"))
    .digest("hex")
    .slice(0, 16);
  return { description, fingerprint, get: async () => credentials };
}

function defaultChainSource(howTo: string): CredentialsSource {
  let chain: DefaultCredentialsProvider | undefined;
  return {
    description: "the Alibaba Cloud default credential chain",
    fingerprint: "default-chain",
    async get() {
      chain ??= DefaultCredentialsProvider.builder().build();
      try {
        const found = await chain.getCredentials();
        return {
          accessKeyId: found.accessKeyId,
          accessKeySecret: found.accessKeySecret,
          securityToken: found.securityToken || undefined,
        };
      } catch {
        chain = undefined;
        throw new MembershipError(`No Alibaba Cloud credentials found: ${howTo}.`, OWN_CODES.missingCredentials);
      }
    },
  };
}

const CREDENTIAL_KEYS = ["accessKey", "secretKey", "securityToken"] as const;

/** Where a fixed key pair came from, by the very names it was read from, so a refusal's hint points at those alone. */
function configuredWhere(credentials: Credentials, config: ConfigSource | undefined, env: Env, keys: ConfigKeyNames): string {
  const used = CREDENTIAL_KEYS.filter((key) => key !== "securityToken" || credentials.securityToken !== undefined);
  if (nonEmpty(config?.get(keys.accessKey)) !== undefined) return `the stack config ${used.map((key) => keys[key]).join(" / ")}`;
  const names = used.map((key) => ENV_NAMES[key].find((name) => nonEmpty(env[name]) !== undefined)!);
  return `the environment variables ${names.join(" / ")}`;
}

/**
 * A credential set to "" or spaces (`pulumi config set --secret alicloud:accessKey "$A_VARIABLE_NOT_SET"`) is a mistake
 * to name where it was made: read as "not set", it would send the provider on to the environment or the credential
 * chain, and the user would read "No Alibaba Cloud credentials found" about a key they did set. An empty environment
 * variable counts only where no other name of it, and no stack config, supplies the value.
 */
function emptyCredential(config: ConfigSource | undefined, env: Env, keys: ConfigKeyNames, fromConfigPair: boolean): string | undefined {
  for (const key of CREDENTIAL_KEYS) {
    const value = config?.get(keys[key]);
    if (value !== undefined && value.trim() === "") return `\`${keys[key]}\` is set but empty in the stack config`;
  }
  if (fromConfigPair) return undefined;
  for (const key of CREDENTIAL_KEYS) {
    const empty = ENV_NAMES[key].find((name) => env[name] !== undefined && env[name].trim() === "");
    if (empty !== undefined && fromEnv(env, ENV_NAMES[key]) === undefined) return `${empty} is set but empty in the environment`;
  }
  return undefined;
}

export function resolveSettings(config: ConfigSource | undefined, env: Env, keys: ConfigKeyNames = DYNAMIC_CONFIG_KEYS): ProviderSettings {
  const fromConfig = (key: SettingKey) => nonEmpty(config?.get(keys[key]));
  const fromEnvironment = (key: SettingKey) => fromEnv(env, ENV_NAMES[key]);
  const howTo = howToSetCredentials(keys);
  const empty = emptyCredential(config, env, keys, fromConfig("accessKey") !== undefined && fromConfig("secretKey") !== undefined);
  if (empty !== undefined) throw new MembershipError(`${empty}: give it a value, or remove it; ${howTo}.`, OWN_CODES.incompleteCredentials);
  const configured =
    staticCredentials("the stack config", fromConfig, (key) => keys[key], howTo) ??
    staticCredentials("the environment", fromEnvironment, (key) => ENV_NAMES[key].join(" or "), howTo);
  const source = configured ? fixedSource(configuredWhere(configured, config, env, keys), configured) : defaultChainSource(howTo);
  return {
    defaultRegion: fromConfig("region") ?? fromEnvironment("region"),
    defaultRegionSource:
      fromConfig("region") !== undefined ? `the stack config ${keys.region}` : `the environment (${ENV_NAMES.region.join(" or ")})`,
    endpointOverride: endpointOverride(config, env, keys.endpoint),
    credentials: source,
    quotas: statedQuotas(settingOf(config, env, QUOTA_CONFIG_KEY, QUOTA_ENV), settingOf(config, env, QUOTA_RESERVE_CONFIG_KEY, QUOTA_RESERVE_ENV)),
    preflight: preflightEnabled(settingOf(config, env, PREFLIGHT_CONFIG_KEY, PREFLIGHT_ENV)),
    interruptedCreates: interruptedCreatesOf(env),
  };
}

function endpointOverride(config: ConfigSource | undefined, env: Env, key: string): Endpoint | undefined {
  const configured = nonEmpty(config?.get(key));
  if (configured) return { url: configured, source: `the stack config ${key}` };
  const fromEnvironment = nonEmpty(env[ENDPOINT_ENV]);
  if (fromEnvironment) return { url: fromEnvironment, source: `the environment variable ${ENDPOINT_ENV}` };
  return undefined;
}

/** A setting from the stack config, else the environment, with the name the user set it under. */
function settingOf(config: ConfigSource | undefined, env: Env, key: string, envName: string): { value: string | undefined; name: string } {
  const configured = nonEmpty(config?.get(key));
  if (configured !== undefined) return { value: configured, name: `the stack config ${key}` };
  return { value: nonEmpty(env[envName]), name: `the environment variable ${envName}` };
}

export function endpointFor(settings: ProviderSettings, regionId: string): Endpoint {
  return settings.endpointOverride ?? { url: `https://ecs.${regionId}.aliyuncs.com`, source: `the public endpoint of region ${regionId}` };
}
