import type { IncomingHttpHeaders } from "node:http";
import { ecsErrors } from "../models";
import { parseFormEncoded } from "./form-parser";

export interface ParsedRequest {
  readonly method: "GET" | "POST";
  /** Query string parameters only (ACS3 signs them apart from the body). */
  readonly query: ReadonlyMap<string, string>;
  /** Query and form body parameters together. */
  readonly params: ReadonlyMap<string, string>;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RawRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Turns raw HTTP into parameters; every refusal is a typed 4xx EcsError. */
export function parseRequest(raw: RawRequest): ParsedRequest {
  const method = checkMethod(raw.method);
  const url = raw.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== "/") throw ecsErrors.actionNotFound();
  const query = parseFormEncoded(q < 0 ? "" : url.slice(q + 1));
  const params = new Map(query);
  if (raw.body.length > 0) parseFormEncoded(decodeBody(raw), params);
  return { method, query, params, headers: raw.headers, body: raw.body };
}

function checkMethod(method: string | undefined): "GET" | "POST" {
  if (method === "GET" || method === "POST") return method;
  throw ecsErrors.methodNotAllowed(method ?? "(none)");
}

function decodeBody(raw: RawRequest): string {
  const contentType = (raw.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType !== "application/x-www-form-urlencoded") {
    throw ecsErrors.unsupportedContentType(contentType);
  }
  try {
    return utf8.decode(raw.body);
  } catch {
    throw ecsErrors.bodyNotUtf8();
  }
}
