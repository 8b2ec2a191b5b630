import type { ParsedRequest } from "./request-parser";

export type ResponseFormat = "JSON" | "XML";

/** Parameters of the protocol itself: they are checked here and never reach an action. */
export const COMMON_PARAMETERS: ReadonlySet<string> = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "SecurityToken",
]);

/** ACS3 clients carry Action and Version in x-acs-* headers, signature 1.0 clients in parameters. */
export function actionOf(req: ParsedRequest): string | undefined {
  return req.params.get("Action") ?? singleHeader(req, "x-acs-action");
}

export function versionOf(req: ParsedRequest): string | undefined {
  return req.params.get("Version") ?? singleHeader(req, "x-acs-version");
}

export function formatOf(params: ReadonlyMap<string, string> | undefined): ResponseFormat {
  return params?.get("Format")?.toUpperCase() === "XML" ? "XML" : "JSON";
}

export function businessParams(req: ParsedRequest): Map<string, string> {
  return new Map([...req.params].filter(([name]) => !COMMON_PARAMETERS.has(name)));
}

export function singleHeader(req: ParsedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
