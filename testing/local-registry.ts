/**
 * An npm registry on loopback that serves one package from a tarball (as if it were published) and sends every other
 * request on to the registry npm is configured with. It lets the docs test run `npm install pulumi-alicloud-sg-membership`
 * exactly as the README writes it, before the package is published.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import * as path from "path";

export interface LocalRegistry {
  /** The registry's URL, for `npm_config_registry`. */
  url: string;
  close(): Promise<void>;
}

interface Manifest {
  name: string;
  version: string;
}

function manifestIn(tarball: string): Manifest {
  const text = execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" });
  return JSON.parse(text) as Manifest;
}

/** The packument npm reads for `name`: one version, whose tarball this registry serves. */
function packument(manifest: Manifest, tarballUrl: string, bytes: Buffer): unknown {
  const integrity = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
  const shasum = createHash("sha1").update(bytes).digest("hex");
  return {
    name: manifest.name,
    "dist-tags": { latest: manifest.version },
    versions: { [manifest.version]: { ...manifest, dist: { tarball: tarballUrl, integrity, shasum } } },
  };
}

function upstreamRegistry(): string {
  const configured = execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8" }).trim();
  return configured.endsWith("/") ? configured : `${configured}/`;
}

export async function startLocalRegistry(tarball: string): Promise<LocalRegistry> {
  const bytes = readFileSync(tarball);
  const manifest = manifestIn(tarball);
  const upstream = upstreamRegistry();
  const tarballPath = `/${manifest.name}/-/${path.basename(tarball)}`;
  let url = "";
  const server: Server = createServer((req, res) => {
    const requested = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    if (requested === `/${manifest.name}`) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(packument(manifest, `${url}${tarballPath.slice(1)}`, bytes)));
    } else if (requested === tarballPath) {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
    } else {
      res.writeHead(302, { location: `${upstream}${(req.url ?? "/").slice(1)}` }).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
