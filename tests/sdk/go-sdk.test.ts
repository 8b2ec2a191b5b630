/**
 * The committed Go SDK (sdk/go) is what the plugin's schema generates today (npm run gen:sdk), and it builds and vets
 * against the Pulumi SDK its go.mod pins.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { runGoTool } from "../../testing/go-toolchain";
import { REPO_ROOT } from "../../testing/pulumi-cli";

const SDK_DIR = path.join(REPO_ROOT, "sdk", "go");
const GO_TEST_TIMEOUT_MS = 600_000;

/** Every file below `dir`, by its path relative to it, with its content. */
function tree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(
    files.map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return [path.relative(dir, file), readFileSync(file, "utf8")];
    }),
  );
}

test(
  "sdk/go is what the plugin's schema generates now",
  async () => {
    const out = mkdtempSync(path.join(tmpdir(), "go-sdk-"));
    try {
      await runGoTool([path.join(REPO_ROOT, "scripts", "gen-sdk"), out], REPO_ROOT);
      const generated = tree(out);
      const committed = tree(SDK_DIR);
      const names = [...new Set([...generated.keys(), ...committed.keys()])].sort();
      const stale = names.filter((name) => generated.get(name) !== committed.get(name));
      // Each name here is missing from sdk/go, no longer generated, or different: `npm run gen:sdk` brings it up to date.
      expect(stale).toEqual([]);
      expect(names).toContain(path.join("alicloudsgmembership", "securityGroupMembership.go"));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  GO_TEST_TIMEOUT_MS,
);

test(
  "sdk/go builds and passes go vet",
  async () => {
    await runGoTool(["go", "build", "./..."], SDK_DIR);
    await runGoTool(["go", "vet", "./..."], SDK_DIR);
  },
  GO_TEST_TIMEOUT_MS,
);
