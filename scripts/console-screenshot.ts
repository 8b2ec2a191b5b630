/**
 * Takes docs/console.png: the console at 1280x800 showing the basic example's world (examples/basic/seed.json) after
 * the calls a `pulumi up` of it makes (both instances join db-clients), one of them throttled once by a fault rule and
 * retried. Run after a build: node dist/scripts/console-screenshot.js [OUTPUT]
 */
import { readFileSync } from "fs";
import * as path from "path";
import { emulatorAdmin, startEmulator, type Seed } from "../emulator";
import { launchBrowser } from "../testing/browser";
import { seedKey } from "../testing/credentials";
import { ecsRpcClient } from "../testing/ecs-rpc-client";
import { REPO_ROOT } from "../testing/pulumi-cli";

const SEED = path.join(REPO_ROOT, "examples", "basic", "seed.json");

async function main(): Promise<void> {
  const output = process.argv[2] ?? path.join(REPO_ROOT, "docs", "console.png");
  const emulator = await startEmulator({ seed: SEED });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(emulator.consoleUrl);
    await page.locator("#matrix tbody tr").first().waitFor();
    const ecs = ecsRpcClient(emulator.url, seedKey(JSON.parse(readFileSync(SEED, "utf8")) as Seed), "POST");
    const admin = emulatorAdmin(emulator.url);
    await admin.setFaults([{ action: "JoinSecurityGroup", kind: "throttling", times: 1, target: "i-bp1app01" }]);
    for (const instanceId of ["i-bp1web01", "i-bp1app01"]) {
      await ecs.request("DescribeInstanceAttribute", { InstanceId: instanceId });
      const join = () => ecs.request("JoinSecurityGroup", { InstanceId: instanceId, SecurityGroupId: "sg-bp1dbclients" });
      await join().catch(join);
      await ecs.request("DescribeInstanceAttribute", { InstanceId: instanceId });
    }
    await page.getByRole("button", { name: "Remove i-bp1app01 from sg-bp1dbclients" }).waitFor();
    await page.locator("#log tbody tr", { hasText: "#1 throttling" }).waitFor();
    await page.screenshot({ path: output, fullPage: true });
    console.log(`wrote ${output}`);
  } finally {
    await browser.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
