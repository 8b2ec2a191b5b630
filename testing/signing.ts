import { randomUUID } from "node:crypto";
import { signV1, stringToSignV1 } from "../emulator/auth/signature-v1";
import type { Credentials } from "./credentials";
import { percentEncode } from "../emulator/protocol/percent-encoding";
import { KEYS } from "./default-world";

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** The common parameters pop-core sends, for requests a client library cannot make (XML, missing or odd parameters). */
export function commonParams(action: string, key: Credentials = KEYS.full): Record<string, string> {
  return {
    Action: action,
    Version: "2014-05-26",
    Format: "JSON",
    AccessKeyId: key.accessKeyId,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...(key.securityToken ? { SecurityToken: key.securityToken } : {}),
  };
}

/** Signs `params` with signature 1.0 (verified against the ECS documentation's vector) and returns the encoded form. */
export function signedForm(method: "GET" | "POST", params: Record<string, string>, secret: string): string {
  const map = new Map(Object.entries(params));
  const signature = signV1(stringToSignV1(method, map), secret);
  return [...map, ["Signature", signature]].map(([k, v]) => `${percentEncode(k!)}=${percentEncode(v!)}`).join("&");
}

export async function rawCall(url: string, method: "GET" | "POST", form: string): Promise<RawAnswer> {
  const response =
    method === "GET"
      ? await fetch(`${url}/?${form}`)
      : await fetch(`${url}/`, { method, headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text: await response.text() };
}

/** A signed call with the common parameters, `overrides` applied last (undefined removes a parameter). */
export function signedCall(
  url: string,
  action: string,
  overrides: Record<string, string | undefined> = {},
  options: { method?: "GET" | "POST"; key?: Credentials } = {},
): Promise<RawAnswer> {
  const key = options.key ?? KEYS.full;
  const method = options.method ?? "GET";
  const params: Record<string, string> = { ...commonParams(action, key) };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete params[name];
    else params[name] = value;
  }
  return rawCall(url, method, signedForm(method, params, key.accessKeySecret));
}
