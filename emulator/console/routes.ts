import type { IncomingHttpHeaders } from "node:http";
import type { AdminGuard } from "../admin/guard";
import { adminJson } from "../admin/routes";
import type { WireResponse } from "../responses/render";
import type { ConsoleHub } from "./hub";
import { PAGE_CSS, PAGE_HTML, pageScript } from "./page";

export const CONSOLE_PATH = "/_emulator/console";

/** The page never loads or sends anything but its own files and this emulator's API, and no other page may frame it. */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** The page and its files hold no data: they are served without the admin token (a browser cannot send it on a navigation). */
const ASSETS: Record<string, () => WireResponse> = {
  "": () => page("text/html; charset=utf-8", PAGE_HTML),
  "/console.css": () => page("text/css; charset=utf-8", PAGE_CSS),
  "/console.js": () => page("text/javascript; charset=utf-8", pageScript()),
};

/** What the page reads, behind the whole admin guard, token included. */
const DATA = ["/snapshot", "/events"];

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

/** A console request: an answer, or "events" when the request becomes the hub's event stream. */
export function consoleRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  hasBody: boolean,
  guard: AdminGuard,
  hub: ConsoleHub,
): WireResponse | "events" {
  const rest = path.slice(CONSOLE_PATH.length);
  const asset = Object.hasOwn(ASSETS, rest) ? ASSETS[rest] : undefined;
  const refusal = guard.refuseAdmin(method, headers, { hasBody, tokenless: asset !== undefined });
  if (refusal) return adminJson(refusal.status, { message: refusal.message });
  if (!asset && !DATA.includes(rest)) return adminJson(404, { message: `unknown console path ${path}; the console is at ${CONSOLE_PATH}` });
  if (method !== "GET") return adminJson(405, { message: `${method} is not supported on ${path}; use GET` });
  if (asset) return asset();
  return rest === "/events" ? "events" : adminJson(200, hub.snapshot());
}

function page(contentType: string, body: string): WireResponse {
  return { status: 200, headers: { ...PAGE_HEADERS, "content-type": contentType }, body };
}
