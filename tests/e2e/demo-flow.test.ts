/**
 * The demo's story through the real Pulumi CLI, with what the emulator holds and what it was asked after each step.
 */
import { runBasicFlow, type StepRecord } from "../../testing/basic-flow";
import { PULUMI_TEST_TIMEOUT_MS, useExampleWorld } from "../../testing/example-world";

const world = useExampleWorld("basic");

const count = (record: StepRecord, action: string): number => record.stats.actions[action] ?? 0;

test(
  "up, drift out of band, preview shows it, up restores it, refresh, destroy",
  async () => {
    const stack = await world().stack("demo-flow");
    // runBasicFlow checks the memberships after every step and throws on the first deviation.
    const records = await runBasicFlow({ stack, emulatorUrl: world().emulator.url, credentials: world().key("full") });
    const writes = records.map((record) => [count(record, "JoinSecurityGroup"), count(record, "LeaveSecurityGroup")]);

    // Cumulative [Join, Leave]: one Join per membership; the out-of-band Leave; preview writes nothing; one Join
    // restores the drifted membership; refresh writes nothing; one Leave per membership on destroy.
    expect(writes).toEqual([
      [0, 0],
      [2, 0],
      [2, 1],
      [2, 1],
      [3, 1],
      [3, 1],
      [3, 3],
    ]);
  },
  PULUMI_TEST_TIMEOUT_MS,
);
