import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { chromiumPath, launchBrowser, type TestBrowser } from "../../testing/browser";
import { emulatorAdmin, startEmulator, type Seed } from "../../emulator";
import type { ConsoleSnapshot } from "../../emulator/console/hub";
import { defaultSeed, IDS, KEYS, REGION } from "../../testing/default-world";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { eventually } from "../../testing/wait";

interface Described {
  Instances: { Instance: { InstanceId: string; SecurityGroupIds: { SecurityGroupId: string[] } }[] };
}

const groupsOf = async (url: string, instanceId: string): Promise<string[]> => {
  const answer = await popClient(url).request<Described>("DescribeInstances", { RegionId: REGION, InstanceIds: JSON.stringify([instanceId]) });
  return answer.Instances.Instance[0]!.SecurityGroupIds.SecurityGroupId;
};

/** A blank page on another origin (another port of loopback), for what a foreign page may try. */
async function foreignOrigin(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>elsewhere</title>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const BULK = 1000;

/** A world of 1,000 instances, each in the web group. */
function bulkWorld(): Partial<Seed> {
  const instances = Array.from({ length: BULK }, (_, i) => ({
    instanceId: `i-bulk${i}`,
    regionId: REGION,
    vpcId: IDS.vpc,
    status: "Running" as const,
    securityGroupIds: [IDS.sgWeb],
    locked: false,
  }));
  return { instances, networkInterfaces: [] };
}

describe("the emulator console in a real browser", () => {
  let emulator: TestEmulator;
  let browser: TestBrowser;
  let page: Page;
  let consoleUrl: string;
  const problems: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    emulator = await startTestEmulator();
    consoleUrl = `${emulator.url}/_emulator/console`;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(consoleUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  const logRow = (...texts: string[]) => texts.reduce((rows, text) => rows.filter({ hasText: text }), page.locator("#log tbody tr"));

  it("shows the seeded world: memberships, statuses, locks, VPCs and groups with their member counts", async () => {
    await page.getByRole("button", { name: `Remove ${IDS.running} from ${IDS.sgWeb}` }).waitFor();
    await page.getByRole("button", { name: `Add ${IDS.running} to ${IDS.sgDb}` }).waitFor();
    const stopped = page.locator("#matrix tbody tr", { hasText: IDS.stopped });
    expect(await stopped.textContent()).toContain("Stopped");
    expect(await page.locator("#matrix tbody tr", { hasText: IDS.locked }).textContent()).toContain("locked");
    expect(await page.locator("#matrix tbody tr", { hasText: IDS.pending }).textContent()).toContain("Pending");
    expect(await page.locator("#matrix tbody tr", { hasText: IDS.eni }).textContent()).toContain(IDS.vpc);
    const web = await page.locator("#groups tbody tr", { hasText: IDS.sgWeb }).textContent();
    expect(web).toContain(`${IDS.sgWeb}web${IDS.vpc}normal4`);
    expect(await page.getByText("connecting…").count()).toBe(0);
  });

  it("shows a JoinSecurityGroup made through pop-core in the matrix and the request log without a reload", async () => {
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await popClient(emulator.url).request("JoinSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgOps }, { method: "POST" });
    await page.getByRole("button", { name: `Remove ${IDS.running} from ${IDS.sgOps}` }).waitFor();
    await logRow("JoinSecurityGroup", IDS.running, IDS.sgOps, "LTAI…ll01", "HMAC-SHA1", "OK").waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.locator("#counters tbody tr", { hasText: "JoinSecurityGroup" }).textContent()).toBe("JoinSecurityGroup100");
  });

  it("removes a membership, locks and stops an instance from the page, as DescribeInstances and the state then say", async () => {
    expect(await groupsOf(emulator.url, IDS.stopped)).toEqual([IDS.sgWeb, IDS.sgDb]);
    await page.getByRole("button", { name: `Remove ${IDS.stopped} from ${IDS.sgDb}` }).click();
    await page.getByRole("button", { name: `Add ${IDS.stopped} to ${IDS.sgDb}` }).waitFor();
    await eventually("DescribeInstances shows the membership gone", async () => (await groupsOf(emulator.url, IDS.stopped)).join() === IDS.sgWeb);
    await page.getByRole("button", { name: `Lock ${IDS.running}` }).click();
    await page.getByRole("button", { name: `Unlock ${IDS.running}` }).waitFor();
    await page.getByRole("button", { name: `Stop ${IDS.running}` }).click();
    await page.getByRole("button", { name: `Start ${IDS.running}` }).waitFor();
    const running = (await emulator.state()).instances.find((i) => i.instanceId === IDS.running)!;
    expect(running).toMatchObject({ locked: true, status: expect.stringMatching(/^Stopp(ing|ed)$/) });
    // Stopping settles by itself a second later; the page hears of it without anyone calling the API.
    await page.locator("#matrix tbody tr", { hasText: IDS.running }).filter({ hasText: "Stopped" }).waitFor();
  });

  it("adds a throttling rule from the page: the next call is throttled, and the log names the rule", async () => {
    const form = page.locator("#add-rule");
    await form.getByLabel("Action").fill("DescribeInstanceAttribute");
    await form.getByLabel("Kind").selectOption("throttling");
    await form.getByLabel("Times").fill("1");
    await form.getByRole("button", { name: "Add rule" }).click();
    await page.locator("#rules tbody tr", { hasText: "DescribeInstanceAttribute" }).waitFor();
    expect((await emulator.state()).faults).toEqual([{ action: "DescribeInstanceAttribute", kind: "throttling", times: 1 }]);
    await expect(popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running })).rejects.toMatchObject({
      code: "Throttling",
    });
    await logRow("DescribeInstanceAttribute", "Throttling (throttled)", "#1 throttling").waitFor();
    await page.locator("#outcome-filter").selectOption("throttled");
    expect(await page.locator("#log tbody tr").count()).toBe(1);
    await page.locator("#outcome-filter").selectOption("");
    await page.getByRole("button", { name: "Clear all rules" }).click();
    await page.locator("#rules tbody tr").first().waitFor({ state: "detached" });
    expect((await emulator.state()).faults).toEqual([]);
  });

  it("sets quotas from the page: calls beyond one are refused with Throttling.User, and the log names the quota", async () => {
    await page.getByText("No quotas set: flow control refuses no call. Window 60000 ms.").waitFor();
    expect(await page.locator("#settings").textContent()).not.toContain("flowControl");
    const form = page.locator("#set-quota");
    await form.getByLabel("Action").selectOption("JoinSecurityGroup");
    await form.getByLabel("Calls per window").fill("100");
    await form.getByRole("button", { name: "Set quota" }).click();
    await page.getByRole("button", { name: "Remove the quota on JoinSecurityGroup" }).waitFor();
    // A day's window: the two calls the quota lets through and the one it refuses fall in one window.
    await form.getByLabel("Action").selectOption("DescribeInstanceAttribute");
    await form.getByLabel("Calls per window").fill("2");
    await form.getByLabel("Window ms").fill("86400000");
    await form.getByRole("button", { name: "Set quota" }).click();
    await page.getByText("2 quotas in force, per window of 86400000 ms:").waitFor();
    await page.getByRole("button", { name: "Remove the quota on JoinSecurityGroup" }).click();
    await page.getByText("1 quota in force, per window of 86400000 ms:").waitFor();
    const admin = emulatorAdmin(emulator.url);
    expect((await admin.state()).settings).toMatchObject({ flowControl: { DescribeInstanceAttribute: 2 }, flowControlWindowMs: 86_400_000 });

    const describe = () => popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.locked, RegionId: REGION });
    await describe();
    await describe();
    await expect(describe()).rejects.toMatchObject({ code: "Throttling.User" });
    await logRow("DescribeInstanceAttribute", IDS.locked, "Throttling.User (throttled)", "quota 2 per 86400000 ms").waitFor();
    await page.locator("#outcome-filter").selectOption("quota");
    expect(await page.locator("#log tbody tr").count()).toBe(1);
    await page.locator("#outcome-filter").selectOption("");

    await page.getByRole("button", { name: "Clear all quotas" }).click();
    await page.getByText("No quotas set: flow control refuses no call. Window 86400000 ms.").waitFor();
    expect((await admin.state()).settings?.flowControl).toEqual({});
    await describe();
  });

  it("lets no page of another origin read console data or drive a change, nor frame the console", async () => {
    await emulator.setFaults([{ action: "DescribeRegions", kind: "timeout" }]);
    const before = await emulator.state();
    const foreign = await foreignOrigin();
    const evil = await browser.context.newPage();
    try {
      await evil.goto(foreign.url);
      const outcomes = await evil.evaluate(async (target) => {
        const attempt = (path: string, init?: RequestInit) =>
          fetch(`${target}${path}`, init).then(
            (r) => `answered ${r.type} ${r.status}`,
            () => "blocked",
          );
        const patch = JSON.stringify({ upsert: { instances: [{ instanceId: "i-bp1running", locked: false }] } });
        return [
          await attempt("/_emulator/console/snapshot"),
          await attempt("/_emulator/console/events"),
          await attempt("/_emulator/console"),
          await attempt("/_emulator/world", { method: "POST", headers: { "content-type": "application/json" }, body: patch }),
          await attempt("/_emulator/faults", { method: "DELETE" }),
          await attempt("/_emulator/world", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: patch }),
        ];
      }, emulator.url);
      // Reads and preflighted changes are blocked; the one request a page can send blind (no-cors) reads nothing back.
      expect(outcomes).toEqual(["blocked", "blocked", "blocked", "blocked", "blocked", "answered opaque 0"]);
      await evil.setContent(`<iframe src="${consoleUrl}" title="console"></iframe>`);
      // frame-ancestors 'none' (and X-Frame-Options): the browser shows its error page instead.
      expect(evil.frames()[1]!.url()).toMatch(/^chrome-error:/);
      expect(await evil.frames()[1]!.locator("#matrix").count()).toBe(0);
      const after = await emulator.state();
      expect(after.instances).toEqual(before.instances);
      expect(after.faults).toEqual(before.faults);
    } finally {
      await evil.close();
      await foreign.close();
      await emulator.clearFaults();
    }
  });

  it("with 1,000 targets shows them 50 to a page, filters at once, and takes a change by keyboard", async () => {
    const big = await startTestEmulator(bulkWorld());
    const bigPage = await browser.context.newPage();
    try {
      await bigPage.goto(`${big.url}/_emulator/console`);
      await bigPage.getByText("page 1 of 20 (1000 of 1000 targets)").waitFor();
      expect(await bigPage.locator("#matrix tbody tr").count()).toBe(50);
      // At once: the rows are filtered in the keystroke's own task (no round trip to the emulator, no debounce).
      const rowsRightAfter = await bigPage.evaluate(`(() => {
        const input = document.getElementById("filter");
        input.value = "i-bulk999";
        input.dispatchEvent(new Event("input"));
        return document.querySelectorAll("#matrix tbody tr").length;
      })()`);
      expect(rowsRightAfter).toBe(1);
      await bigPage.getByRole("button", { name: `Add i-bulk999 to ${IDS.sgDb}` }).focus();
      await bigPage.keyboard.press("Enter");
      await bigPage.getByRole("button", { name: `Remove i-bulk999 from ${IDS.sgDb}` }).waitFor();
      // Drawn again, the matrix keeps the keyboard where it was: Enter again undoes the change.
      expect(await bigPage.evaluate("document.activeElement.getAttribute('aria-label')")).toBe(`Remove i-bulk999 from ${IDS.sgDb}`);
      await bigPage.keyboard.press("Enter");
      await bigPage.getByRole("button", { name: `Add i-bulk999 to ${IDS.sgDb}` }).waitFor();
      await bigPage.keyboard.press("Enter");
      await bigPage.getByRole("button", { name: `Remove i-bulk999 from ${IDS.sgDb}` }).waitFor();
      expect(await groupsOf(big.url, "i-bulk999")).toEqual([IDS.sgWeb, IDS.sgDb]);
    } finally {
      await bigPage.close();
      await big.close();
    }
  });

  it("tells a tab that stopped reading (frozen in the debugger) that it missed events, and reloads the world", async () => {
    const big = await startTestEmulator(bulkWorld());
    const frozen = await browser.context.newPage();
    try {
      await frozen.goto(`${big.url}/_emulator/console`);
      await frozen.getByText("page 1 of 20 (1000 of 1000 targets)").waitFor();
      const debug = await browser.context.newCDPSession(frozen);
      await debug.send("Debugger.enable");
      await debug.send("Debugger.pause");
      // Each round renames every instance: a world event of about 300 kB that the frozen tab does not read.
      const renameAll = (round: number) =>
        big.patch({
          upsert: {
            instances: Array.from({ length: BULK }, (_, i) => ({ instanceId: `i-bulk${i}`, instanceName: `round-${round}-`.padEnd(128, "x") })),
          },
        });
      const dropping = async () => ((await (await fetch(`${big.url}/_emulator/console/snapshot`)).json()) as ConsoleSnapshot).streams.dropping;
      // Some 10 MB back up (the browser's buffers and the kernel's, then the emulator's) before events are dropped.
      for (let round = 1; (await dropping()) === 0; round += 1) {
        if (round > 500) throw new Error("the emulator never dropped events for the frozen tab");
        await renameAll(round);
      }
      // A change the tab's stream never carries: it can only see it by reloading the world.
      await big.patch({ upsert: { instances: [{ instanceId: "i-bulk0", securityGroupIds: [IDS.sgWeb, IDS.sgDb] }] } });
      await debug.send("Debugger.resume");
      await frozen.getByText(/^live; this tab fell behind and missed events at .*, so the world was reloaded$/).waitFor();
      await frozen.getByRole("button", { name: `Remove i-bulk0 from ${IDS.sgDb}` }).waitFor();
    } finally {
      await frozen.close();
      await big.close();
    }
  }, 120_000);

  it("with an admin token, reads and changes the world only when opened with the token in the address's fragment", async () => {
    const guarded = await startEmulator({ seed: defaultSeed(), adminToken: "console-token-1" });
    const tokenPage = await browser.context.newPage();
    try {
      await tokenPage.goto(guarded.consoleUrl);
      await tokenPage.getByText("disconnected (401 Unauthorized); retrying…").waitFor();
      expect(await tokenPage.locator("#matrix tbody tr").count()).toBe(0);
      await tokenPage.goto(`${guarded.consoleUrl}#token=console-token-1`);
      await tokenPage.getByRole("button", { name: `Lock ${IDS.running}` }).click();
      await tokenPage.getByRole("button", { name: `Unlock ${IDS.running}` }).waitFor();
      expect(tokenPage.url()).toBe(guarded.consoleUrl);
      expect((await emulatorAdmin(guarded.url, { token: "console-token-1" }).state()).instances[0]).toMatchObject({ locked: true });
    } finally {
      await tokenPage.close();
      await guarded.close();
    }
  });

  it("shows no secret and no whole key ID, sends nothing beyond the emulator's origin, and has no script error", async () => {
    const snapshot = await (await fetch(`${consoleUrl}/snapshot`)).text();
    const html = await page.content();
    for (const key of Object.values(KEYS)) {
      for (const shown of [snapshot, html]) {
        expect(shown).not.toContain(key.accessKeySecret);
        expect(shown).not.toContain(key.accessKeyId);
      }
    }
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !url.startsWith(`${emulator.url}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe("the browser these tests need", () => {
  it("when none is found, fails saying what to install rather than passing", () => {
    expect(() => chromiumPath({ PATH: "/nonexistent" }, [])).toThrow(
      "no chromium found for the console's browser tests: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH",
    );
    expect(() => chromiumPath({ CHROMIUM_PATH: "/nonexistent/chromium" })).toThrow("CHROMIUM_PATH is /nonexistent/chromium, which does not exist");
  });
});
