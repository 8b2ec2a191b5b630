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
}

/** Stack config key for our own endpoint override (the alicloud:* keys are shared with @pulumi/alicloud). */
export const ENDPOINT_CONFIG_KEY = "alicloud-sg-membership:ecsEndpoint";
export const ENDPOINT_ENV = "ALIBABA_CLOUD_ECS_ENDPOINT";

const KEYS = {
  accessKey: { config: "alicloud:accessKey", env: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"] },
  secretKey: { config: "alicloud:secretKey", env: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"] },
  securityToken: { config: "alicloud:securityToken", env: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"] },
  region: { config: "alicloud:region", env: ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"] },
} as const;

export const HOW_TO_SET_CREDENTIALS =
  "set them in the stack config (pulumi config set --secret alicloud:accessKey <id>; pulumi config set --secret alicloud:secretKey <secret>; " +
  "optionally alicloud:securityToken), or in the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, " +
  "or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), or through the Alibaba Cloud default credential chain " +
  "(~/.alibabacloud/credentials.ini, ~/.aliyun/config.json, ALIBABA_CLOUD_ECS_METADATA for an ECS RAM role, ALIBABA_CLOUD_CREDENTIALS_URI)";

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
  read: (key: keyof typeof KEYS) => string | undefined,
  names: (key: keyof typeof KEYS) => string,
): Credentials | undefined {
  const accessKeyId = read("accessKey");
  const accessKeySecret = read("secretKey");
  if (!accessKeyId && !accessKeySecret) return undefined;
  if (!accessKeyId || !accessKeySecret) {
    const missing = accessKeyId ? names("secretKey") : names("accessKey");
    throw new MembershipError(
      `Incomplete Alibaba Cloud credentials in ${where}: ${missing} is not set; ${HOW_TO_SET_CREDENTIALS}.`,
      OWN_CODES.incompleteCredentials,
    );
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

function defaultChainSource(): CredentialsSource {
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
        throw new MembershipError(`No Alibaba Cloud credentials found: ${HOW_TO_SET_CREDENTIALS}.`, OWN_CODES.missingCredentials);
      }
    },
  };
}

const CREDENTIAL_KEYS = ["accessKey", "secretKey", "securityToken"] as const;

/**
 * A credential set to "" or spaces (`pulumi config set --secret alicloud:accessKey "$A_VARIABLE_NOT_SET"`) is a mistake
 * to name where it was made: read as "not set", it would send the provider on to the environment or the credential
 * chain, and the user would read "No Alibaba Cloud credentials found" about a key they did set. An empty environment
 * variable counts only where no other name of it, and no stack config, supplies the value.
 */
function emptyCredential(config: ConfigSource | undefined, env: Env, fromConfigPair: boolean): string | undefined {
  for (const key of CREDENTIAL_KEYS) {
    const value = config?.get(KEYS[key].config);
    if (value !== undefined && value.trim() === "") return `\`${KEYS[key].config}\` is set but empty in the stack config`;
  }
  if (fromConfigPair) return undefined;
  for (const key of CREDENTIAL_KEYS) {
    const empty = KEYS[key].env.find((name) => env[name] !== undefined && env[name].trim() === "");
    if (empty !== undefined && fromEnv(env, KEYS[key].env) === undefined) return `${empty} is set but empty in the environment`;
  }
  return undefined;
}

export function resolveSettings(config: ConfigSource | undefined, env: Env): ProviderSettings {
  const fromConfig = (key: keyof typeof KEYS) => nonEmpty(config?.get(KEYS[key].config));
  const fromEnvironment = (key: keyof typeof KEYS) => fromEnv(env, KEYS[key].env);
  const empty = emptyCredential(config, env, fromConfig("accessKey") !== undefined && fromConfig("secretKey") !== undefined);
  if (empty !== undefined)
    throw new MembershipError(`${empty}: give it a value, or remove it; ${HOW_TO_SET_CREDENTIALS}.`, OWN_CODES.incompleteCredentials);
  const configured =
    staticCredentials("the stack config", fromConfig, (key) => KEYS[key].config) ??
    staticCredentials("the environment", fromEnvironment, (key) => KEYS[key].env.join(" or "));
  const source = configured ? fixedSource(fromConfig("accessKey") ? "the stack config" : "the environment", configured) : defaultChainSource();
  return {
    defaultRegion: fromConfig("region") ?? fromEnvironment("region"),
    defaultRegionSource:
      fromConfig("region") !== undefined ? `the stack config ${KEYS.region.config}` : `the environment (${KEYS.region.env.join(" or ")})`,
    endpointOverride: endpointOverride(config, env),
    credentials: source,
    quotas: statedQuotas(settingOf(config, env, QUOTA_CONFIG_KEY, QUOTA_ENV), settingOf(config, env, QUOTA_RESERVE_CONFIG_KEY, QUOTA_RESERVE_ENV)),
  };
}

function endpointOverride(config: ConfigSource | undefined, env: Env): Endpoint | undefined {
  const configured = nonEmpty(config?.get(ENDPOINT_CONFIG_KEY));
  if (configured) return { url: configured, source: `the stack config ${ENDPOINT_CONFIG_KEY}` };
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
