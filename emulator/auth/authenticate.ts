import { ecsErrors, type AccessKey } from "../models";
import type { ParsedRequest } from "../protocol/request-parser";
import { signV1, stringToSignV1 } from "./signature-v1";
import { ACS3_ALGORITHM, canonicalRequestAcs3, parseAcs3Authorization, sha256Hex, signAcs3, stringToSignAcs3 } from "./acs3-hmac-sha256";
import { NonceStore } from "./nonce-store";
import { singleHeader } from "../protocol/common-params";
import { sameText } from "./constant-time";

export const ALLOWED_SKEW_MS = 15 * 60 * 1000;

export interface AuthContext {
  findAccessKey(accessKeyId: string): AccessKey | undefined;
  readonly nonces: NonceStore;
  now(): number;
  /** Requests signed before this (epoch ms) are refused: after a restart with --state, the nonces of the previous run
   *  are gone, so its requests must not be accepted again. */
  readonly notBefore?: number;
}

/** What a request claims, whichever of the two signature styles it uses. */
interface Claim {
  accessKeyId: string;
  timestamp: string;
  nonce: string;
  securityToken: string | undefined;
  /** Recomputes the signature with the key's secret: the server's string to sign and whether it matches. */
  verify(secret: string): { stringToSign: string; matches: boolean };
}

/** Signature 1.0 (parameters) unless the request carries an ACS3 Authorization header and no Signature parameter. */
const signsV1 = (req: ParsedRequest): boolean => req.params.has("Signature") || !req.headers.authorization;

/** Who a request says it is and how it says it signed, unchecked (for the console's request log; never the signature). */
export function claimedCaller(req: ParsedRequest): { accessKeyId?: string; signatureMethod?: string } {
  if (signsV1(req)) return { accessKeyId: req.params.get("AccessKeyId"), signatureMethod: req.params.get("SignatureMethod") };
  return { accessKeyId: parseAcs3Authorization(singleHeader(req, "authorization") ?? "")?.accessKeyId, signatureMethod: ACS3_ALGORITHM };
}

/** Checks a request's credentials the way the ECS gateway does; returns the caller's key or throws its error. */
export function authenticate(req: ParsedRequest, ctx: AuthContext): AccessKey {
  const claim = signsV1(req) ? claimV1(req) : claimAcs3(req);
  checkTimestamp(claim.timestamp, ctx.now(), ctx.notBefore ?? -Infinity);
  const key = ctx.findAccessKey(claim.accessKeyId);
  if (!key) throw ecsErrors.accessKeyNotFound();
  if (key.disabled) throw ecsErrors.accessKeyDisabled();
  const { stringToSign, matches } = claim.verify(key.accessKeySecret);
  if (!matches) throw ecsErrors.signatureMismatch(stringToSign);
  if (!ctx.nonces.claim(key.accessKeyId, claim.nonce, ctx.now())) throw ecsErrors.nonceUsed();
  checkSecurityToken(key, claim.securityToken);
  return key;
}

function claimV1(req: ParsedRequest): Claim {
  const required = (name: string): string => mandatory(name, req.params.get(name));
  const accessKeyId = required("AccessKeyId");
  const signature = required("Signature");
  if (required("SignatureMethod") !== "HMAC-SHA1") throw ecsErrors.incompleteSignature("SignatureMethod must be HMAC-SHA1.");
  if (required("SignatureVersion") !== "1.0") throw ecsErrors.incompleteSignature("SignatureVersion must be 1.0.");
  return {
    accessKeyId,
    nonce: required("SignatureNonce"),
    timestamp: required("Timestamp"),
    securityToken: req.params.get("SecurityToken"),
    verify(secret) {
      const stringToSign = stringToSignV1(req.method, req.params);
      return { stringToSign, matches: sameText(signV1(stringToSign, secret), signature) };
    },
  };
}

function claimAcs3(req: ParsedRequest): Claim {
  const authorization = parseAcs3Authorization(singleHeader(req, "authorization") ?? "");
  if (!authorization) {
    throw ecsErrors.incompleteSignature("Authorization must be ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=….");
  }
  const required = (name: string): string => mandatory(name, singleHeader(req, name));
  required("x-acs-content-sha256");
  const unsigned = MUST_SIGN_ACS3.filter((name) => req.headers[name] !== undefined && !authorization.signedHeaders.includes(name));
  if (unsigned.length > 0) throw ecsErrors.incompleteSignature(`SignedHeaders must include ${unsigned.join(", ")}.`);
  return {
    accessKeyId: authorization.accessKeyId,
    nonce: required("x-acs-signature-nonce"),
    timestamp: required("x-acs-date"),
    securityToken: singleHeader(req, "x-acs-security-token"),
    verify(secret) {
      // The server hashes the body it received, so a body altered in transit cannot keep its signature.
      const canonical = canonicalRequestAcs3({
        method: req.method,
        query: req.query,
        headers: req.headers,
        signedHeaders: authorization.signedHeaders,
        payloadHash: sha256Hex(req.body),
      });
      const stringToSign = stringToSignAcs3(canonical);
      return { stringToSign, matches: sameText(signAcs3(stringToSign, secret), authorization.signature) };
    },
  };
}

/** An empty value counts as missing, as ECS counts it. */
function mandatory(name: string, value: string | undefined): string {
  if (value === undefined || value === "") throw ecsErrors.missingParameter(name);
  return value;
}

/** Left unsigned, these would let a captured request be replayed with another action, date, nonce, body or token. */
const MUST_SIGN_ACS3 = [
  "host",
  "x-acs-action",
  "x-acs-version",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
  "x-acs-security-token",
];

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function checkTimestamp(timestamp: string, now: number, notBefore: number): void {
  const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) throw ecsErrors.timestampMalformed();
  if (Math.abs(now - at) > ALLOWED_SKEW_MS || at < notBefore) throw ecsErrors.timestampExpired();
}

function checkSecurityToken(key: AccessKey, presented: string | undefined): void {
  if (key.securityToken === undefined) return;
  if (presented === undefined || presented === "") throw ecsErrors.securityTokenMissing();
  if (!sameText(presented, key.securityToken)) throw ecsErrors.securityTokenMismatch();
}
