/**
 * Failures that never produced an ECS error body, sorted by what waiting can change: a refused connection, a host that
 * does not resolve, a certificate for another host or an answer from some other server will not get better (a few
 * quick tries, then a clear error); a timeout, a dropped connection or a proxy's 5xx page may (retried until the deadline).
 */
import { TRANSPORT } from "./codes";

export interface TransportFailure {
  code: string;
  /** The low-level cause in words, for the user. */
  cause: string;
}

/** What an HTTP answer looked like, when the failure is that it was not ECS's. */
export interface AnswerShape {
  status: number;
  contentType: string;
}

interface ThrownShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|EPROTO$|HOSTNAME_MISMATCH)/;

/** A thrown error from the HTTP client, as a transport failure (undefined: it is not one). */
export function classifyThrown(thrown: unknown): TransportFailure | undefined {
  const err = (thrown ?? {}) as ThrownShape;
  const code = typeof err.code === "string" ? err.code : "";
  const name = typeof err.name === "string" ? err.name : "";
  const message = typeof err.message === "string" ? err.message : "";
  if (code === "ECONNREFUSED") return { code: TRANSPORT.connectionRefused, cause: "connection refused: nothing is listening there" };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") {
    return { code: TRANSPORT.hostNotFound, cause: "host not found: the name does not resolve" };
  }
  if (TLS_CODES.test(code)) return { code: TRANSPORT.tls, cause: tlsCause(code) };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return { code: TRANSPORT.connectionRefused, cause: "no route to the host" };
  if (name === "RequestTimeoutError" || code === "ETIMEDOUT" || /timeout/i.test(message)) {
    return { code: TRANSPORT.timeout, cause: "no answer in time" };
  }
  if (code === "ECONNRESET" || code === "EPIPE" || /socket hang up/i.test(message)) {
    return { code: TRANSPORT.dropped, cause: "the connection was dropped before an answer came" };
  }
  if (name === "SyntaxError") return undefined;
  return { code: TRANSPORT.network, cause: `the connection failed (${code || name || "unknown error"})` };
}

function tlsCause(code: string): string {
  if (/ALTNAME|HOSTNAME/.test(code)) return "TLS certificate for another host";
  if (/SELF_SIGNED/.test(code)) return "self-signed TLS certificate";
  if (/EXPIRED/.test(code)) return "expired TLS certificate";
  if (code === "EPROTO" || /WRONG_VERSION/.test(code)) return "TLS handshake failed (is the endpoint plain HTTP?)";
  return `TLS certificate not trusted (${code})`;
}

/** An answer that is not ECS's: a proxy's 5xx page is worth waiting out, any other server's page is not. */
export function classifyForeignAnswer(shape: AnswerShape | undefined, why: string): TransportFailure {
  const status = shape?.status;
  const described = status === undefined ? why : `HTTP ${status}${shape?.contentType ? ` ${shape.contentType.split(";")[0]}` : ""}: ${why}`;
  if (status !== undefined && status >= 500)
    return { code: TRANSPORT.proxyError, cause: `a gateway error page instead of ECS's answer (${described})` };
  return { code: TRANSPORT.notEcs, cause: `an answer that is not from ECS's API (${described})` };
}
