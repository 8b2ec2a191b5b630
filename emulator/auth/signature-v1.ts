import { createHmac } from "node:crypto";
import { percentEncode } from "../protocol/percent-encoding";

/** Signature 1.0 string to sign: METHOD&%2F&encode(sorted k=v joined by &), every parameter but Signature. */
export function stringToSignV1(method: string, params: ReadonlyMap<string, string>): string {
  const canonical = [...params.keys()]
    .filter((name) => name !== "Signature")
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params.get(name)!)}`)
    .join("&");
  return `${method}&${percentEncode("/")}&${percentEncode(canonical)}`;
}

export function signV1(stringToSign: string, accessKeySecret: string): string {
  return createHmac("sha1", `${accessKeySecret}&`).update(stringToSign, "utf8").digest("base64");
}
