import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { readBody } from "./body-reader";
import { handleEcsRequest, type EcsApiDeps } from "../ecs-api";
import { ADMIN_PREFIX, adminJson, handleAdminRequest, type AdminDeps } from "../admin/routes";
import { AdminGuard } from "../admin/guard";
import { renderError, type WireResponse } from "../responses/render";
import { ecsErrors } from "../models";
import { consoleRequest, isConsolePath } from "../console/routes";
import type { ConsoleHub } from "../console/hub";

export type ServerDeps = EcsApiDeps & AdminDeps & { console: ConsoleHub };

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  adminToken: string | undefined;
}

/** The HTTP front: routes admin requests apart from the ECS API and keeps serving whatever a client sends. */
export async function listen(deps: ServerDeps, options: ListenOptions): Promise<RunningServer & { address: AddressInfo }> {
  const sockets = new Set<Socket>();
  const server = http.createServer();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => answerUnparsable(socket));
  // Clients keep connections alive between polls (pop-core's agent does); Node's 5 s default would close idle ones just as
  // a client reuses them, turning into ECONNRESET that real ECS endpoints (behind long-lived load balancers) do not cause.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  // Attached in the same tick as listening completed, before any request can be read: the guard needs the bound port.
  const guard = new AdminGuard(address.address, options.host, address.port, options.adminToken);
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    serve(req, res, deps, guard).catch((error: unknown) => {
      console.error("ecs-emulator: failed to answer a request", error);
      res.socket?.destroy();
    });
  });
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    address,
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, deps: ServerDeps, guard: AdminGuard): Promise<void> {
  const body = await readBody(req);
  if (body.kind === "aborted") return;
  const url = req.url ?? "/";
  const path = url.split("?")[0]!;
  const method = req.method ?? "";
  const hasBody = body.kind === "too-large" || body.body.length > 0;
  if (isConsolePath(path)) {
    const answer = consoleRequest(method, path, req.headers, hasBody, guard, deps.console);
    return answer === "events" ? deps.console.attach(res) : send(res, answer);
  }
  if (path.startsWith(ADMIN_PREFIX)) {
    const refusal = guard.refuseAdmin(method, req.headers, { hasBody });
    const answer = refusal
      ? adminJson(refusal.status, { message: refusal.message })
      : body.kind === "too-large"
        ? adminJson(413, { message: "body over 1 MiB" })
        : handleAdminRequest(method, path, body.body.toString("utf8"), deps);
    return send(res, answer);
  }
  const origin = guard.foreignOrigin(req.headers);
  if (origin !== undefined) return send(res, renderError(ecsErrors.crossOrigin(origin), "JSON"));
  if (body.kind === "too-large") return send(res, renderError(ecsErrors.bodyTooLarge(), "JSON"));
  const answer = await handleEcsRequest({ method: req.method, url, headers: req.headers, body: body.body }, deps);
  if (answer === undefined) {
    req.socket.destroy();
    return;
  }
  send(res, answer);
}

function send(res: http.ServerResponse, answer: WireResponse): void {
  res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** Node's parser rejected the request line or headers: answer with an ECS-style envelope, then close. */
function answerUnparsable(socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const answer = renderError(ecsErrors.malformedHttpRequest(), "JSON");
  const head = Object.entries({ ...answer.headers, "content-length": Buffer.byteLength(answer.body), connection: "close" })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n${answer.body}`);
}
