/**
 * The only place that talks to ECS: a signed RPC call through @alicloud/pop-core (API 2014-05-26), with every failure
 * turned into an EcsApiError whose text holds no URL, signature or credential.
 */
import RPCClient = require("@alicloud/pop-core");
import type { Credentials, CredentialsSource } from "./config";
import { EcsApiError, MembershipError, TRANSPORT_CODES, scrub } from "./errors";

export const ECS_API_VERSION = "2014-05-26";

export type EcsParams = Record<string, string | number | boolean | string[]>;
export type EcsResponse = Record<string, unknown>;

export interface EcsClient {
  call(action: string, params: EcsParams, timeoutMs: number): Promise<EcsResponse>;
}

interface PopCoreError {
  name?: string;
  code?: string;
  message?: string;
  data?: { Code?: string; Message?: string; RequestId?: string };
  entry?: { response?: { statusCode?: number } | null };
}

function isEcsAnswer(err: PopCoreError): boolean {
  return typeof err.data?.Code === "string";
}

function transportError(action: string, err: PopCoreError, clean: (s: string) => string): EcsApiError {
  const message = clean(String(err.message ?? err));
  if (err.name === "SyntaxError") {
    return new EcsApiError(action, TRANSPORT_CODES.badBody, "ECS answered with a body that is not JSON (for example a proxy's error page)", undefined, true);
  }
  if (err.name === "RequestTimeoutError" || /timeout/i.test(message)) {
    return new EcsApiError(action, TRANSPORT_CODES.timeout, `no answer from ECS in time (${message})`, undefined, true);
  }
  const detail = err.code ? `${err.code}: ${message}` : message;
  return new EcsApiError(action, TRANSPORT_CODES.network, `the connection to ECS failed (${detail})`, undefined, true);
}

/** Turns whatever pop-core or httpx threw into an EcsApiError fit for users. */
export function normalizeEcsError(action: string, thrown: unknown, secrets: readonly string[]): Error {
  if (thrown instanceof MembershipError) return thrown;
  const err = (thrown ?? {}) as PopCoreError;
  const clean = (text: string) => scrub(text, secrets);
  if (!isEcsAnswer(err)) return transportError(action, err, clean);
  const status = err.entry?.response?.statusCode ?? 0;
  const data = err.data as { Code: string; Message?: string; RequestId?: string };
  return new EcsApiError(action, data.Code, clean(data.Message ?? ""), data.RequestId, status >= 500);
}

export function createEcsClient(endpoint: string, credentials: CredentialsSource): EcsClient {
  const used = new Set<string>();
  const remember = (found: Credentials) => {
    for (const value of [found.accessKeyId, found.accessKeySecret, found.securityToken]) if (value) used.add(value);
    return found;
  };
  // pop-core asks for credentials on every request, so rotating STS credentials from the default chain keep working.
  const credentialsProvider = { getCredentials: async () => remember(await credentials.get()) };
  const client = new RPCClient({ endpoint, apiVersion: ECS_API_VERSION, credentialsProvider } as unknown as RPCClient.Config);
  return {
    async call(action, params, timeoutMs) {
      try {
        return await client.request<EcsResponse>(action, params, { method: "POST", timeout: Math.max(1, Math.round(timeoutMs)) });
      } catch (thrown) {
        throw normalizeEcsError(action, thrown, [...used]);
      }
    },
  };
}
