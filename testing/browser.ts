/**
 * A real browser for the console's tests: Debian's chromium (installed by .ci/run), driven by playwright-core. A missing
 * browser fails the test with what to install; it is never a reason to skip.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { chromium, type BrowserContext } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** CHROMIUM_PATH, else chromium on the usual paths or on PATH (`env` and `candidates` differ only in its own test). */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = CANDIDATES): string {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist: point it at a chromium executable`);
    return fromEnv;
  }
  const found = candidates.find((candidate) => existsSync(candidate)) ?? onPath("chromium", env);
  if (found === undefined) {
    throw new Error(
      "no chromium found for the console's browser tests: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH",
    );
  }
  return found;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    return execFileSync("/bin/sh", ["-c", `command -v ${name}`], { encoding: "utf8", env }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile, removed on close; nothing of its own goes to the network. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), "console-browser-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
