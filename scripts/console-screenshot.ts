/**
 * Takes docs/console.png: the console at 1280x800 while the demo's `pulumi up` of the basic example (examples/basic)
 * runs against the emulator: the shot is taken once the up's first Join shows in the matrix and the request log, with
 * one Join throttled by a fault rule and retried, and ECS's usual quotas on Join and Leave in force. Needs the Pulumi
 * CLI (npm run setup:pulumi) and a build: node dist/scripts/console-screenshot.js [OUTPUT]
 */
import { readFileSync } from "fs";
import * as path from "path";
import { emulatorAdmin, startEmulator, type Seed } from "../emulator";
import { BASIC_SEED } from "../testing/basic-flow";
import { launchBrowser } from "../testing/browser";
import { seedKey } from "../testing/credentials";
import { REPO_ROOT } from "../testing/pulumi-cli";
import { ThrowawayStack } from "../testing/throwaway-stack";

async function main(): Promise<void> {
  const output = process.argv[2] ?? path.join(REPO_ROOT, "docs", "console.png");
  const emulator = await startEmulator({ seed: BASIC_SEED });
  const browser = await launchBrowser();
  const credentials = seedKey(JSON.parse(readFileSync(BASIC_SEED, "utf8")) as Seed);
  const stack = await ThrowawayStack.create({ name: `console-shot-${process.pid}`, example: "basic", endpoint: emulator.url, credentials });
  try {
    const page = await browser.context.newPage();
    await page.goto(emulator.consoleUrl);
    await page.locator("#matrix tbody tr").first().waitFor();
    const admin = emulatorAdmin(emulator.url);
    await admin.setFaults([{ action: "JoinSecurityGroup", kind: "throttling", times: 1, target: "i-bp1app01" }]);
    // ECS's usual quotas for these actions, which the up stays far below: the shot shows them in force.
    await admin.setFlowControl({ flowControl: { JoinSecurityGroup: 100, LeaveSecurityGroup: 100 } });
    const up = stack.start(["up"]);
    await page.locator("#log tbody tr", { hasText: "#1 throttling" }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Remove i-bp1web01 from sg-bp1dbclients" }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: output, fullPage: true });
    console.log(`wrote ${output}`);
    await up.done;
  } finally {
    stack.remove();
    await browser.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
