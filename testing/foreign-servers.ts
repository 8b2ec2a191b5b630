/**
 * Endpoints that are not ECS, on loopback, as a user's typo or a misbehaving network meets them: a closed port, a web
 * server's pages, a proxy's gateway error, a server that resets every connection, TLS for another host name, and a
 * proxy that echoes the request back into whatever field it likes. Each counts what reached it.
 */
import { readFileSync } from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import type { AddressInfo } from "net";
import * as path from "path";
import { REPO_ROOT } from "./pulumi-cli";

export interface ForeignServer {
  url: string;
  /** Requests (or, for servers that never answer HTTP, connections) it received. */
  hits(): number;
  /** The raw requests it received: request line, headers and body (for a server that resets them: what came first). */
  requests(): string[];
  close(): Promise<void>;
}

const TLS_FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "tls");
/** A CA made for these tests, and a certificate it issued for other.example only (both valid until 2126). */
export const TEST_CA_PEM = path.join(TLS_FIXTURES, "ca.pem");

function addressOf(server: net.Server, scheme: string): string {
  const { port } = server.address() as AddressInfo;
  return `${scheme}://127.0.0.1:${port}`;
}

async function listening<T extends net.Server>(server: T): Promise<T> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/** An HTTP(S) server answering every request with `answer(rawRequest)`. */
async function answering(
  answer: (raw: string) => { status: number; headers: Record<string, string>; body: string },
  tls?: https.ServerOptions,
): Promise<ForeignServer> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = `${req.method} ${req.url}\n${Object.entries(req.headers)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join("\n")}\n\n${Buffer.concat(chunks).toString("utf8")}`;
      requests.push(raw);
      const { status, headers, body } = answer(raw);
      res.writeHead(status, headers);
      res.end(body);
    });
  };
  const server = await listening(tls ? https.createServer(tls, handler) : http.createServer(handler));
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    url: addressOf(server, tls ? "https" : "http"),
    hits: () => requests.length,
    requests: () => [...requests],
    close: closer(server, sockets),
  };
}

/** Some other web server: the same page, whatever is asked. */
export function webServer(status: number, contentType = "text/html", body = "<html><body><h1>It works!</h1></body></html>"): Promise<ForeignServer> {
  return answering(() => ({ status, headers: { "content-type": contentType }, body }));
}

/** A proxy or WAF that puts the whole request it received into `where` of an ECS-shaped error, or of its error page. */
export function echoingServer(where: "Code" | "Message" | "RequestId" | "HostId" | "html"): Promise<ForeignServer> {
  return answering((raw) => {
    if (where === "html") return { status: 403, headers: { "content-type": "text/html" }, body: `<html><pre>Blocked: ${raw}</pre></html>` };
    const envelope: Record<string, string> = {
      RequestId: "5E3B1E0C-0000-4000-8000-000000000000",
      HostId: "ecs.aliyuncs.com",
      Code: "Forbidden.WAF",
      Message: "Blocked",
    };
    envelope[where] = raw;
    return { status: 400, headers: { "content-type": "application/json" }, body: JSON.stringify(envelope) };
  });
}

/** TLS with a certificate for other.example, issued by the test CA. */
export function otherHostTlsServer(): Promise<ForeignServer> {
  const tls = { key: readFileSync(path.join(TLS_FIXTURES, "other-host.key")), cert: readFileSync(path.join(TLS_FIXTURES, "other-host.pem")) };
  return answering(() => ({ status: 200, headers: { "content-type": "application/json" }, body: "{}" }), tls);
}

/** Accepts connections and resets each as soon as a request arrives. */
export async function resettingServer(): Promise<ForeignServer> {
  let connections = 0;
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = await listening(
    net.createServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
      socket.once("data", (head: Buffer) => {
        requests.push(head.toString("utf8"));
        socket.resetAndDestroy();
      });
    }),
  );
  return { url: addressOf(server, "http"), hits: () => connections, requests: () => [...requests], close: closer(server, sockets) };
}

/** The URL of a loopback port nothing listens on (it did a moment ago, so nothing else took it meanwhile in practice). */
export async function closedPortUrl(): Promise<string> {
  const server = await listening(net.createServer());
  const url = addressOf(server, "http");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}
