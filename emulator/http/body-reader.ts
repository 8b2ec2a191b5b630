import type { IncomingMessage } from "node:http";

const MAX_BODY_BYTES = 1024 * 1024;
/** Past this we stop draining an oversized body and close the connection instead. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

export type BodyResult = { kind: "body"; body: Buffer } | { kind: "too-large" } | { kind: "aborted" };

/** Reads a request body up to MAX_BODY_BYTES. An oversized body is drained (so the client can read our 413 on a
 *  connection that stays usable) rather than buffered; a hopelessly large one aborts the connection. */
export function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_DRAIN_BYTES) {
      req.socket.destroy();
      resolve({ kind: "aborted" });
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_DRAIN_BYTES) {
        req.socket.destroy();
        return;
      }
      if (received <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(received > MAX_BODY_BYTES ? { kind: "too-large" } : { kind: "body", body: Buffer.concat(chunks) }));
    req.on("error", () => resolve({ kind: "aborted" }));
    req.on("close", () => {
      if (!req.complete) resolve({ kind: "aborted" });
    });
  });
}
