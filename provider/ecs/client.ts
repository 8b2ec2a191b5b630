/**
 * The only place that talks to ECS: a signed RPC call through @alicloud/pop-core (API 2014-05-26), with every failure
 * turned into an EcsApiError whose fields hold no URL, signature, nonce or credential, whatever the endpoint sent back.
 */
import * as http from "http";
import * as https from "https";
import RPCClient from "@alicloud/pop-core";
import type { Credentials, CredentialsSource } from "./credentials";
import { EcsApiError, MembershipError, scrub } from "./errors";
import { classifyForeignAnswer, classifyThrown, type AnswerShape } from "./transport";

export const ECS_API_VERSION = "2014-05-26";

export type EcsParams = Record<string, string | number | boolean | string[]>;
export type EcsResponse = Record<string, unknown>;

export interface EcsClient {
  readonly endpoint: string;
  call(action: string, params: EcsParams, timeoutMs: number): Promise<EcsResponse>;
}

interface PopCoreError {
  name?: unknown;
  data?: { Code?: unknown; Message?: unknown; RequestId?: unknown };
}

/** ECS codes are dotted words; anything else in `Code` is some other server talking (or echoing the request). */
const ECS_CODE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;
const REQUEST_ID = /^[0-9A-Za-z-]{8,64}$/;

type ObserveHook = (shape: AnswerShape) => void;

/**
 * pop-core decides success or failure from the body alone and drops the HTTP status. This keep-alive agent lets one
 * call see its own answer's status and content type, to tell a proxy's 502 page from some other server's 404 or 200.
 */
function observingAgent(endpoint: string): http.Agent {
  const Base = endpoint.startsWith("https:") ? https.Agent : http.Agent;
  class ObservingAgent extends Base {
    addRequest(req: http.ClientRequest, options: { observe?: ObserveHook }): void {
      const observe = options.observe;
      if (observe)
        req.once("response", (res: http.IncomingMessage) =>
          observe({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? "") }),
        );
      (Base.prototype as unknown as { addRequest(r: unknown, o: unknown): void }).addRequest.call(this, req, options);
    }
  }
  return new ObservingAgent({ keepAlive: true, keepAliveMsecs: 3000 });
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Turns what pop-core threw into an EcsApiError fit for users; `answer` is what the HTTP response looked like, if any. */
export function normalizeEcsError(action: string, thrown: unknown, secrets: readonly string[], answer?: AnswerShape): Error {
  if (thrown instanceof MembershipError || thrown instanceof EcsApiError) return thrown;
  const clean = (value: string) => scrub(value, secrets);
  const err = (thrown ?? {}) as PopCoreError;
  const code = text(err.data?.Code);
  if (!err.data || !code) {
    const failure = classifyThrown(thrown) ?? classifyForeignAnswer(answer, "the body is not JSON");
    return new EcsApiError(action, failure.code, clean(failure.cause), undefined, answer?.status);
  }
  if (!ECS_CODE.test(code) || code.length > 100) {
    const failure = classifyForeignAnswer(answer, "its error code is not an ECS code");
    return new EcsApiError(action, failure.code, clean(failure.cause), undefined, answer?.status);
  }
  const requestId = text(err.data.RequestId);
  return new EcsApiError(action, code, clean(text(err.data.Message)), REQUEST_ID.test(requestId) ? requestId : undefined, answer?.status);
}

/** Every ECS answer carries a RequestId; a "success" without one came from some other server. */
function checkedSuccess(action: string, response: unknown, answer: AnswerShape | undefined): EcsResponse {
  const body = response as EcsResponse | null;
  if (body && typeof body === "object" && typeof body.RequestId === "string") return body;
  const failure = classifyForeignAnswer(answer, "the body has no RequestId");
  throw new EcsApiError(action, failure.code, failure.cause, undefined, answer?.status);
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
  const agent = observingAgent(endpoint);
  return {
    endpoint,
    async call(action, params, timeoutMs) {
      let answer: AnswerShape | undefined;
      const observe: ObserveHook = (shape) => (answer = shape);
      const options = {
        method: "POST",
        timeout: Math.max(1, Math.round(timeoutMs)),
        agent,
        beforeRequest: (request: object) => ({ ...request, observe }),
      };
      let response: unknown;
      try {
        response = await client.request<EcsResponse>(action, params, options as never);
      } catch (thrown) {
        throw normalizeEcsError(action, thrown, [...used], answer);
      }
      return checkedSuccess(action, response, answer);
    },
  };
}
