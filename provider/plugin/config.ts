/**
 * The plugin's configuration: the keys its schema declares (`alicloud-sg-membership:region`, ...), as CheckConfig and
 * Configure receive them, mapped onto membership/settings.ts, which falls back to the environment and then to the
 * Alibaba Cloud credential chain. Values never leave this process: not in state, responses, logs or errors.
 */
import type { ConfigSource, ConfigKeyNames } from "../membership/settings";
import { PACKAGE_NAME, CONFIG_VARIABLES } from "./schema";
import { plainValue } from "./properties";

export const PLUGIN_CONFIG_KEYS: ConfigKeyNames = {
  accessKey: `${PACKAGE_NAME}:accessKey`,
  secretKey: `${PACKAGE_NAME}:secretKey`,
  securityToken: `${PACKAGE_NAME}:securityToken`,
  region: `${PACKAGE_NAME}:region`,
  endpoint: `${PACKAGE_NAME}:ecsEndpoint`,
};

const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

export interface ConfigFailure {
  property: string;
  reason: string;
}

/** Plain key (`region`) to value; `endpoint` is read as `ecsEndpoint` when that is not set. */
export function configSource(values: Record<string, string>): ConfigSource {
  const byName: Record<string, string | undefined> = { ...values, ecsEndpoint: values.ecsEndpoint ?? values.endpoint };
  return { get: (key) => (key.startsWith(`${PACKAGE_NAME}:`) ? byName[key.slice(PACKAGE_NAME.length + 1)] : undefined) };
}

/**
 * Configure's variables map spells keys `alicloud-sg-membership:config:region`; its args Struct spells them `region`,
 * with secrets wrapped. The args win: the engine fills both, and only the args know secretness.
 */
export function configValues(variables: Map<string, string> | [string, string][], args: Record<string, unknown> | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of variables instanceof Map ? variables.entries() : variables) {
    values[key.split(":").pop() ?? key] = value;
  }
  for (const [key, value] of Object.entries(args ?? {})) {
    const plain = plainValue(value);
    if (typeof plain === "string" || typeof plain === "boolean") values[key] = String(plain);
  }
  return values;
}

/**
 * CheckConfig: unknown keys and values of the wrong type are named, so a typo in Pulumi.yaml is not silently ignored.
 * The stack config hands every value as a string; an explicit provider's boolean input may come as a boolean.
 */
export function configFailures(news: Record<string, unknown>): ConfigFailure[] {
  const failures: ConfigFailure[] = [];
  for (const [key, value] of Object.entries(news)) {
    // The engine's own keys of a provider (its version, where to download it) are not configuration.
    if (ENGINE_KEYS.has(key) || key.startsWith("__")) continue;
    if (!(key in CONFIG_VARIABLES)) {
      failures.push({ property: key, reason: `not a config key of ${PACKAGE_NAME}: use ${Object.keys(CONFIG_VARIABLES).join(", ")}` });
      continue;
    }
    const plain = plainValue(value);
    const type: string = CONFIG_VARIABLES[key as keyof typeof CONFIG_VARIABLES].type;
    if (plain !== undefined && typeof plain !== "string" && typeof plain !== type) failures.push({ property: key, reason: `must be a ${type}` });
  }
  return failures;
}
