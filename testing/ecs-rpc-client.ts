import RPCClient from "@alicloud/pop-core";
import type { Credentials } from "./credentials";

/** A pop-core RPC client (signature 1.0) for ECS at `endpoint`, e.g. the emulator; `method` POST sends a form body. */
export function ecsRpcClient(endpoint: string, credentials: Credentials, method: "GET" | "POST" = "GET"): RPCClient {
  return new RPCClient({
    endpoint,
    apiVersion: "2014-05-26",
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
    opts: { method, timeout: 10_000 },
  });
}
