import { ecsErrors } from "../models";

/** RFC 3986 encoding as Alibaba Cloud signs it: encodeURIComponent plus `!'()*`, space as %20. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Decodes one form/query component; `+` is a space as in application/x-www-form-urlencoded. */
export function percentDecode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, " "));
  } catch {
    throw ecsErrors.malformedPercentEncoding(truncate(component));
  }
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
