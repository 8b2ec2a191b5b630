import { createHash, createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { percentEncode } from "../protocol/percent-encoding";

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`; undefined when it is not that shape. */
export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
  if (!header.startsWith(`${ACS3_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ACS3_ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(";"), signature };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface Acs3Input {
  method: string;
  query: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  signedHeaders: readonly string[];
  payloadHash: string;
}

/** The canonical request exactly as @alicloud/openapi-util's getAuthorization builds it (path is always "/"). */
export function canonicalRequestAcs3(input: Acs3Input): string {
  const canonicalQuery = [...input.query.keys()]
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(input.query.get(name)!)}`)
    .join("&");
  const names = input.signedHeaders.map((name) => name.toLowerCase());
  const canonicalHeaders = names.map((name) => `${name}:${headerValue(input.headers, name)}\n`).join("");
  return [input.method, "/", canonicalQuery, canonicalHeaders, names.join(";"), input.payloadHash].join("\n");
}

export function stringToSignAcs3(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function signAcs3(stringToSign: string, accessKeySecret: string): string {
  return createHmac("sha256", accessKeySecret).update(stringToSign, "utf8").digest("hex");
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? [...value].sort().join(",") : (value ?? "")).trim();
}
