import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Seed } from "../../emulator";
import { popClient, startTestEmulator, type TestEmulator } from "../../testing/test-emulator";
import { IDS } from "../../testing/default-world";
import { eventually } from "../../testing/wait";

let emulator: TestEmulator;
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => emulator.close());

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? "transport",
  );
const groupsIn = (state: Seed, instanceId: string) => state.instances.find((i) => i.instanceId === instanceId)!.securityGroupIds;
const groupsOf = async (e: TestEmulator, instanceId: string) => groupsIn(await e.state(), instanceId);
const join = (url: string, instanceId: string, securityGroupId: string) =>
  outcome(popClient(url).request("JoinSecurityGroup", { InstanceId: instanceId, SecurityGroupId: securityGroupId }));
const describeRunning = (url: string) => outcome(popClient(url).request("DescribeInstanceAttribute", { InstanceId: IDS.running }));

describe("timeout-after-apply", () => {
  it("carries out the join, then answers 504 RequestTimeout", async () => {
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-after-apply", times: 1 }]);
    expect(await join(emulator.url, IDS.running, IDS.sgOps)).toBe("RequestTimeout");
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);
    expect(await join(emulator.url, IDS.running, IDS.sgOps)).toBe("InvalidInstanceId.AlreadyExists");
    expect(await emulator.stats()).toEqual({ actions: { JoinSecurityGroup: 2 }, total: 2, refused: {} });
  });

  it("answers 504 all the same when the action itself fails, and changes nothing", async () => {
    await emulator.setFaults([{ action: "LeaveSecurityGroup", kind: "timeout-after-apply" }]);
    const leaveLast = popClient(emulator.url).request("LeaveSecurityGroup", { InstanceId: IDS.running, SecurityGroupId: IDS.sgWeb });
    expect(await outcome(leaveLast)).toBe("RequestTimeout");
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);
  });

  it("is a plain timeout for a read", async () => {
    await emulator.setFaults([{ action: "*", kind: "timeout-after-apply", times: 1 }]);
    expect(await describeRunning(emulator.url)).toBe("RequestTimeout");
    expect(await describeRunning(emulator.url)).toBe("ok");
  });
});

describe("drop-after-apply", () => {
  it("carries out the leave, then drops the connection without an answer", async () => {
    await emulator.setFaults([{ action: "LeaveSecurityGroup", kind: "drop-after-apply", times: 1 }]);
    const error = await popClient(emulator.url)
      .request("LeaveSecurityGroup", { InstanceId: IDS.stopped, SecurityGroupId: IDS.sgDb })
      .catch((e: NodeJS.ErrnoException) => e);
    expect((error as NodeJS.ErrnoException).code).toMatch(/ECONNRESET|socket hang up/i);
    expect(await groupsOf(emulator, IDS.stopped)).toEqual([IDS.sgWeb]);
    expect(await emulator.stats()).toEqual({ actions: { LeaveSecurityGroup: 1 }, total: 1, refused: {} });
  });

  it("is a plain drop for a read", async () => {
    await emulator.setFaults([{ action: "*", kind: "drop-after-apply", times: 1 }]);
    expect(await describeRunning(emulator.url)).toMatch(/ECONNRESET|transport/);
    expect(await describeRunning(emulator.url)).toBe("ok");
  });
});

describe("timeout-then-apply", () => {
  it("answers 504 at once and carries out the join applyAfterMs later", async () => {
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 600_000, times: 1 }]);
    expect(await join(emulator.url, IDS.running, IDS.sgOps)).toBe("RequestTimeout");
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb]);

    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 20, times: 1 }]);
    expect(await join(emulator.url, IDS.stopped, IDS.sgOps)).toBe("RequestTimeout");
    await eventually("the late join", async () => (await groupsOf(emulator, IDS.stopped)).includes(IDS.sgOps));
    expect(await emulator.stats()).toEqual({ actions: { JoinSecurityGroup: 2 }, total: 2, refused: {} });
  });

  it("runs against the world as it is then: a late join that no longer applies does nothing", async () => {
    await emulator.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 50, times: 3 }]);
    expect(await join(emulator.url, IDS.running, IDS.sgOps)).toBe("RequestTimeout");
    expect(await join(emulator.url, IDS.running, IDS.sgOps)).toBe("RequestTimeout");
    // Timers of equal delay fire in order, so once this third one shows, the second has run (and failed: already a member).
    expect(await join(emulator.url, IDS.stopped, IDS.sgOps)).toBe("RequestTimeout");
    await eventually("the last late join", async () => (await groupsOf(emulator, IDS.stopped)).includes(IDS.sgOps));
    expect(await groupsOf(emulator, IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);
    expect(await describeRunning(emulator.url)).toBe("ok");
  });

  it("requires applyAfterMs, bounded, and only for its kind", async () => {
    await expect(emulator.setFaults([{ action: "*", kind: "timeout-then-apply" }])).rejects.toThrow(
      'faults[0].applyAfterMs is required for kind "timeout-then-apply"',
    );
    await expect(emulator.setFaults([{ action: "*", kind: "timeout-then-apply", applyAfterMs: 2 ** 31 }])).rejects.toThrow(
      "faults[0].applyAfterMs must be a non-negative integer up to 600000",
    );
    await expect(emulator.setFaults([{ action: "*", kind: "timeout", applyAfterMs: 5 }])).rejects.toThrow(
      'faults[0].applyAfterMs is only for kind "timeout-then-apply"',
    );
  });

  it("is a plain timeout for a read", async () => {
    await emulator.setFaults([{ action: "*", kind: "timeout-then-apply", applyAfterMs: 0, times: 1 }]);
    expect(await describeRunning(emulator.url)).toBe("RequestTimeout");
  });
});

describe("with --state", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-emulator-ambiguous-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const saved = (statePath: string) => JSON.parse(fs.readFileSync(statePath, "utf8")) as Seed;

  it("saves what timeout-after-apply and a late apply carried out", async () => {
    const statePath = path.join(dir, "state.json");
    const stateful = await startTestEmulator({}, { statePath });
    try {
      await stateful.setFaults([
        { action: "JoinSecurityGroup", kind: "timeout-after-apply", target: IDS.running },
        { action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 10, target: IDS.stopped },
      ]);
      expect(await join(stateful.url, IDS.running, IDS.sgOps)).toBe("RequestTimeout");
      expect(groupsIn(saved(statePath), IDS.running)).toEqual([IDS.sgWeb, IDS.sgOps]);
      expect(await join(stateful.url, IDS.stopped, IDS.sgOps)).toBe("RequestTimeout");
      await eventually("the late join to be saved", async () => groupsIn(saved(statePath), IDS.stopped).includes(IDS.sgOps));
    } finally {
      await stateful.close();
    }
  });

  it("cancels late applies on close: nothing changes the state file afterwards", async () => {
    const closedPath = path.join(dir, "closed.json");
    const closed = await startTestEmulator({}, { statePath: closedPath });
    await closed.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 100 }]);
    expect(await join(closed.url, IDS.running, IDS.sgOps)).toBe("RequestTimeout");
    await closed.close();
    // A second emulator's late apply of the same delay, scheduled after the first one's, shows when the first would have run.
    const witness = await startTestEmulator();
    try {
      await witness.setFaults([{ action: "JoinSecurityGroup", kind: "timeout-then-apply", applyAfterMs: 100 }]);
      expect(await join(witness.url, IDS.running, IDS.sgOps)).toBe("RequestTimeout");
      await eventually("the witness's late join", async () => (await groupsOf(witness, IDS.running)).includes(IDS.sgOps));
    } finally {
      await witness.close();
    }
    expect(groupsIn(saved(closedPath), IDS.running)).toEqual([IDS.sgWeb]);
  });
});
