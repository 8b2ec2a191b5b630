/** Shared set-up of the provider tests: a provider configured for a test emulator, and world look-ups. */
import { SecurityGroupMembershipProvider, type ProviderOptions } from "../../provider";
import type { Credentials } from "../../testing/credentials";
import { startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { KEYS } from "../../testing/default-world";

/** Short backoff keeps the suite fast; the behaviour under test is the same. */
export const FAST_BACKOFF = { baseDelayMs: 10, maxDelayMs: 100 };

/**
 * Every read and diff asks ECS: a test's steps around an out-of-band change stand for separate pulumi runs, each a new
 * provider process with no recent states. recent-states.test.ts covers reads and diffs within the window.
 */
export const TEST_OPTIONS: ProviderOptions = { backoff: FAST_BACKOFF, recentStateMaxAgeMs: 0 };

/** Stack config as the dynamic-provider plugin hands it to configure ("namespace:key" names). */
export function stackConfig(url: string, key: Credentials = KEYS.full, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "alicloud:accessKey": key.accessKeyId,
    "alicloud:secretKey": key.accessKeySecret,
    ...(key.securityToken ? { "alicloud:securityToken": key.securityToken } : {}),
    "alicloud:region": "cn-hangzhou",
    "alicloud-sg-membership:ecsEndpoint": url,
    ...extra,
  };
}

export async function configuredProvider(config: Record<string, string>, options = TEST_OPTIONS): Promise<SecurityGroupMembershipProvider> {
  const provider = new SecurityGroupMembershipProvider(options);
  await provider.configure({ config: { get: (k: string) => config[k] } });
  return provider;
}

export function providerFor(emulator: TestEmulator, key: Credentials = KEYS.full, options = TEST_OPTIONS): Promise<SecurityGroupMembershipProvider> {
  return configuredProvider(stackConfig(emulator.url, key), options);
}

export async function groupsOf(emulator: TestEmulator, targetId: string): Promise<string[] | undefined> {
  const world = await emulator.state();
  const instance = world.instances.find((i) => i.instanceId === targetId || i.primaryNetworkInterfaceId === targetId);
  if (instance) return instance.securityGroupIds;
  return world.networkInterfaces.find((n) => n.networkInterfaceId === targetId)?.securityGroupIds;
}

export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

/** Every secret of the test keys; none may appear in anything a user sees. */
export const ALL_SECRETS: string[] = Object.values(KEYS)
  .flatMap((k) => [k.accessKeyId, k.accessKeySecret, "securityToken" in k ? k.securityToken : ""])
  .filter(Boolean);

export function expectNoSecrets(text: string): void {
  for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
  // Signed parameters may be named only with their value withheld. The endpoint may be named (scheme, host and port);
  // a URL with a query string would be a signed request.
  expect(text).not.toMatch(/(Signature|AccessKeyId|SecurityToken|SignatureNonce)=(?!\*\*\*)|https?:\/\/\S*\?/);
}

/** A fresh emulator and a provider configured for it, per test. */
export function useTestWorld(assign: (emulator: TestEmulator, provider: SecurityGroupMembershipProvider) => void): void {
  let current: TestEmulator | undefined;
  beforeEach(async () => {
    current = await startTestEmulator();
    assign(current, await providerFor(current));
  });
  afterEach(() => current?.close());
}
