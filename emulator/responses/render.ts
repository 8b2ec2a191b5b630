import { randomUUID } from "node:crypto";
import type { ActionResult, EcsError } from "../models";
import type { ResponseFormat } from "../protocol/common-params";
import { xmlDocument } from "./xml";

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The ECS error code an error answer carries (for the console's request log; not sent apart from the body). */
  code?: string;
}

export const HOST_ID = "ecs.aliyuncs.com";

/** ECS request IDs are upper-case UUIDs. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

const CONTENT_TYPES: Record<ResponseFormat, string> = {
  JSON: "application/json;charset=utf-8",
  // The Tea SDKs parse an error body as XML only when the content type is exactly this.
  XML: "text/xml;charset=utf-8",
};

export function renderSuccess(action: string, result: ActionResult, format: ResponseFormat): WireResponse {
  const requestId = newRequestId();
  const body = { RequestId: requestId, ...result };
  return wire(200, requestId, format, format === "XML" ? xmlDocument(`${action}Response`, body) : JSON.stringify(body));
}

/** The documented envelope; every error body carries Code, which is how pop-core tells failure from success. */
export function renderError(error: EcsError, format: ResponseFormat): WireResponse {
  const requestId = newRequestId();
  const envelope = {
    RequestId: requestId,
    HostId: HOST_ID,
    Code: error.code,
    Message: error.message,
    Recommend: error.recommend ?? `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Ecs&requestId=${requestId}`,
  };
  const body = format === "XML" ? xmlDocument("Error", envelope) : JSON.stringify(envelope);
  return { ...wire(error.httpStatus, requestId, format, body), code: error.code };
}

function wire(status: number, requestId: string, format: ResponseFormat, body: string): WireResponse {
  return { status, headers: { "content-type": CONTENT_TYPES[format], "x-acs-request-id": requestId }, body };
}
