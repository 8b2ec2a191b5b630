import { adminRequest } from "../../emulator";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS, KEYS, REGION } from "../../testing/default-world";
import { signedCall } from "../../testing/signing";
import { ManualClock } from "./model/world-fixture";

/** ECS's flow control over HTTP, with a clock the test moves, so a window turns exactly when a test says. */
const WINDOW_MS = 60_000;
/** At the start of a window, so a test's calls all fall in one. */
const clock = new ManualClock(Math.ceil(Date.now() / WINDOW_MS) * WINDOW_MS);
let emulator: TestEmulator;
beforeEach(async () => {
  clock.advance(WINDOW_MS);
  emulator = await startTestEmulator({}, { clock });
});
afterEach(() => emulator.close());

/** A second key of the default account (a RAM user's), and a key of another account. */
const SAME_ACCOUNT = { accessKeyId: "LTAI5tEmulatorRam001", accessKeySecret: "ram-secret-0001" };
const OTHER_ACCOUNT = { accessKeyId: "LTAI5tEmulatorElse01", accessKeySecret: "else-secret-0001", account: "another" };

const describeInstances = (key: { accessKeyId: string; accessKeySecret: string } = KEYS.full, regionId = REGION) =>
  popClient(emulator.url, key)
    .request("DescribeInstances", { RegionId: regionId })
    .then(
      () => "ok",
      (e: { code?: string }) => e.code ?? "transport",
    );

async function outcomes(count: number, call: () => Promise<string>): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < count; i++) results.push(await call());
  return results;
}

describe("settings.flowControl", () => {
  it("refuses the calls past the window's quota with 400 Throttling.User, and lets them pass from the next window", async () => {
    await emulator.setFlowControl({ flowControl: { DescribeInstances: 2 } });
    expect(await outcomes(3, () => describeInstances())).toEqual(["ok", "ok", "Throttling.User"]);
    const raw = await signedCall(emulator.url, "DescribeInstances", { RegionId: REGION });
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text)).toMatchObject({ Code: "Throttling.User", Message: "Request was denied due to user flow control." });
    clock.advance(WINDOW_MS);
    expect(await outcomes(3, () => describeInstances())).toEqual(["ok", "ok", "Throttling.User"]);
  });

  it("windows are calendar windows: a call refused late in one passes at the start of the next", async () => {
    await emulator.setFlowControl({ flowControl: { DescribeInstances: 1 } });
    clock.advance(WINDOW_MS - 1);
    expect(await outcomes(2, () => describeInstances())).toEqual(["ok", "Throttling.User"]);
    clock.advance(1);
    expect(await describeInstances()).toBe("ok");
  });

  it("counts per account, region and action: an account's keys share its quota", async () => {
    const state = await emulator.state();
    await emulator.close();
    emulator = await startTestEmulator(
      { accessKeys: [...state.accessKeys, SAME_ACCOUNT, OTHER_ACCOUNT], settings: { flowControl: { DescribeInstances: 1 } } },
      { clock },
    );
    expect(await describeInstances(KEYS.full)).toBe("ok");
    expect(await describeInstances(SAME_ACCOUNT)).toBe("Throttling.User");
    expect(await describeInstances(OTHER_ACCOUNT)).toBe("ok");
    expect(await describeInstances(KEYS.full, "cn-beijing")).toBe("ok");
    const other = await popClient(emulator.url).request("DescribeInstanceAttribute", { InstanceId: IDS.running });
    expect(other).toMatchObject({ InstanceId: IDS.running });
  });

  it("counts the refused calls per action in the stats, among the requests", async () => {
    await emulator.setFlowControl({ flowControl: { DescribeInstances: 1 } });
    await outcomes(4, () => describeInstances());
    expect(await emulator.stats()).toEqual({ actions: { DescribeInstances: 4 }, total: 4, refused: { DescribeInstances: 3 } });
  });

  it("takes its window length from the settings", async () => {
    await emulator.setFlowControl({ flowControl: { DescribeInstances: 1 }, flowControlWindowMs: 3_000 });
    clock.advance(3_000 - (clock.now() % 3_000));
    expect(await outcomes(2, () => describeInstances())).toEqual(["ok", "Throttling.User"]);
    clock.advance(3_000);
    expect(await describeInstances()).toBe("ok");
  });
});

describe("GET/PUT /_emulator/flow-control", () => {
  it("shows and replaces the quotas and the window, saved with the world's settings", async () => {
    expect(await adminRequest(emulator.url, "GET", "flow-control")).toEqual({ flowControl: {}, flowControlWindowMs: 60_000 });
    const quotas = { JoinSecurityGroup: 100, LeaveSecurityGroup: 100, DescribeInstances: 300 };
    expect(await emulator.setFlowControl({ flowControl: quotas })).toEqual({ flowControl: quotas, flowControlWindowMs: 60_000 });
    expect(await emulator.setFlowControl({ flowControlWindowMs: 5_000 })).toEqual({ flowControl: quotas, flowControlWindowMs: 5_000 });
    expect((await emulator.state()).settings).toMatchObject({ flowControl: quotas, flowControlWindowMs: 5_000 });
    expect(await emulator.setFlowControl({ flowControl: {} })).toEqual({ flowControl: {}, flowControlWindowMs: 5_000 });
  });

  it("refuses an action it does not know, a bad number and an unknown field with 400, changing nothing", async () => {
    await expect(emulator.setFlowControl({ flowControl: { JoinSecurityGroups: 5 } })).rejects.toThrow(
      /400: patch.settings.flowControl.JoinSecurityGroups: is not an ECS action the emulator knows/,
    );
    await expect(emulator.setFlowControl({ flowControl: { JoinSecurityGroup: -1 } })).rejects.toThrow(/400: .*must be a non-negative integer/);
    await expect(emulator.setFlowControl({ flowControlWindowMs: 10 })).rejects.toThrow(/400: .*flowControlWindowMs/);
    await expect(adminRequest(emulator.url, "PUT", "flow-control", { quotas: {} })).rejects.toThrow(/400: unknown field quotas/);
    expect(await adminRequest(emulator.url, "GET", "flow-control")).toEqual({ flowControl: {}, flowControlWindowMs: 60_000 });
  });

  it("a seed names an action it does not know: the emulator does not start", async () => {
    await expect(startTestEmulator({ settings: { flowControl: { Nope: 1 } } }, { clock })).rejects.toThrow(/settings.flowControl.Nope/);
  });
});
