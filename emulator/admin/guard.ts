import type { IncomingHttpHeaders } from "node:http";
import * as os from "node:os";
import { sameText } from "../auth/constant-time";

/** Why a request is refused: an HTTP status and a message for the caller. */
export interface Refusal {
  status: number;
  message: string;
}

/**
 * What keeps web pages away from the emulator. A page open in the user's browser can send "simple" cross-origin requests
 * (a text/plain POST needs no preflight), and with DNS rebinding it can read answers under its own host name; binding
 * to loopback stops neither. So: requests that carry a foreign Origin are refused, admin requests must name the emulator
 * itself in Host, mutating admin requests must be JSON (which a page cannot send cross-origin without a preflight, which
 * the emulator never grants), and with a token, admin requests must carry it.
 */
export class AdminGuard {
  private readonly hostnames: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;

  constructor(
    boundAddress: string,
    requestedHost: string,
    private readonly port: number,
    private readonly token: string | undefined,
  ) {
    this.hostnames = ownHostnames(boundAddress, requestedHost);
    this.origins = new Set([...this.hostnames].map((name) => `http://${name.includes(":") ? `[${name}]` : name}:${port}`));
  }

  /** Any request, ECS API or admin: an Origin header, when sent, must be the emulator's own; this is the one that is not. */
  foreignOrigin(headers: IncomingHttpHeaders): string | undefined {
    const origin = headers.origin;
    return origin === undefined || this.origins.has(origin.toLowerCase()) ? undefined : origin;
  }

  /** `hasBody`: a request without one (a bare `curl -X DELETE`) needs no content type: a DELETE is never a simple
   *  cross-origin request, so JSON adds nothing there. `tokenless`: the console's page and assets, which hold no data (a
   *  browser cannot send the token on a navigation); everything they read or change goes through token-guarded routes. */
  refuseAdmin(method: string, headers: IncomingHttpHeaders, { hasBody = true, tokenless = false } = {}): Refusal | undefined {
    const origin = this.foreignOrigin(headers);
    if (origin !== undefined) return { status: 403, message: `cross-origin requests are refused: Origin ${origin} is not this emulator's` };
    if (!this.isOwnHost(headers.host)) {
      return { status: 403, message: `the admin API answers only requests for this emulator's own address, not Host ${headers.host ?? "(none)"}` };
    }
    if (!tokenless && this.token !== undefined && !sameText(presentedToken(headers), this.token)) {
      return { status: 401, message: "this emulator's admin API needs its token: send Authorization: Bearer <token> (or x-emulator-admin-token)" };
    }
    const type = mediaType(headers["content-type"]);
    const bareDelete = method === "DELETE" && !hasBody && type === "";
    if (method !== "GET" && !bareDelete && type !== "application/json") {
      return { status: 415, message: `${method} on the admin API must be sent as application/json` };
    }
    return undefined;
  }

  private isOwnHost(host: string | undefined): boolean {
    if (host === undefined) return false;
    let url: URL;
    try {
      url = new URL(`http://${host}`);
    } catch {
      return false;
    }
    return this.hostnames.has(url.hostname.replace(/^\[|\]$/g, "")) && Number(url.port || 80) === this.port;
  }
}

/** The names a request for this emulator may use: the address it is bound to and the host it was asked to bind, localhost,
 *  and when bound to every interface, every address of this machine. */
function ownHostnames(boundAddress: string, requestedHost: string): Set<string> {
  const names = new Set([boundAddress, requestedHost, "localhost"].map((name) => name.toLowerCase()));
  if (isWildcard(boundAddress)) {
    for (const addresses of Object.values(os.networkInterfaces())) for (const { address } of addresses ?? []) names.add(address.toLowerCase());
  }
  return names;
}

function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::";
}

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === "::1" || /^::ffff:127\./i.test(address);
}

function presentedToken(headers: IncomingHttpHeaders): string {
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? "");
  const header = headers["x-emulator-admin-token"];
  return bearer?.[1] ?? (Array.isArray(header) ? header[0] : header) ?? "";
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}
