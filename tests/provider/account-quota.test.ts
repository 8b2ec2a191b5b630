/**
 * The per-process limiter of the account's ECS quota, against a simulated account that counts calls per calendar minute
 * as ECS does, on a driven clock: minutes pass in microseconds, so the figures are exact and nothing sleeps.
 */
import {
  AccountQuota,
  MINUTE_MS,
  QUOTA_WINDOW_ENV,
  QuotaDeadlineError,
  quotaWindowMs,
  type QuotaClock,
  type StatedQuota,
} from "../../provider/calls/account-quota";
import type { TimeBudget } from "../../provider/calls/deadline";
import { QUOTA_CONFIG_KEY, QUOTA_ENV, QUOTA_RESERVE_CONFIG_KEY } from "../../provider/membership/quota-settings";
import { resolveSettings } from "../../provider/membership/settings";

class DrivenClock implements QuotaClock {
  constructor(readonly minuteMs = MINUTE_MS) {}
  private t = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  now = () => this.t;
  random = () => 0.5;
  sleep = (ms: number) => new Promise<void>((resolve) => this.timers.push({ at: this.t + ms, resolve }));

  /** Runs every timer in time order until `done` settles. */
  async drive<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const result = done.finally(() => (settled = true));
    while (!settled) {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) throw new Error("nothing left to wait for, but the work has not finished");
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    return result;
  }
}

class Refusal extends Error {}

/** ECS's flow control: `perMinute` calls of the action per calendar minute for the whole account, each taking 30 ms. */
class SimulatedAccount {
  private counts = new Map<number, number>();
  passed = 0;
  refused = 0;
  readonly refusedByMinute: number[] = [];
  constructor(
    private readonly clock: DrivenClock,
    private readonly perMinute: number,
    private readonly latencyMs = 30,
  ) {}

  async call(): Promise<void> {
    await this.clock.sleep(this.latencyMs);
    const minute = Math.floor(this.clock.now() / this.clock.minuteMs);
    const count = this.counts.get(minute) ?? 0;
    if (count >= this.perMinute) {
      this.refused++;
      this.refusedByMinute[minute] = (this.refusedByMinute[minute] ?? 0) + 1;
      throw new Refusal("Throttling.User");
    }
    this.counts.set(minute, count + 1);
    this.passed++;
  }
}

function budget(clock: QuotaClock, ms: number): TimeBudget {
  const start = clock.now();
  return { remainingMs: () => start + ms - clock.now(), elapsedMs: () => clock.now() - start, requestTimeoutMs: () => 10_000 };
}

/** `calls` memberships through `workers` parallel operations (the engine's --parallel), each retrying refusals. */
async function runFleet(quotas: AccountQuota[], account: SimulatedAccount, clock: DrivenClock, calls: number, workers: number) {
  const waits: number[] = [];
  const finishedAt: number[] = [];
  await Promise.all(
    quotas.map(async (quota) => {
      let next = 0;
      const work = async () => {
        while (next < calls) {
          next++;
          for (;;) {
            try {
              await quota.run(
                budget(clock, 3_600_000),
                (ms) => waits.push(ms),
                () => account.call(),
                (err) => err instanceof Refusal,
              );
              break;
            } catch (err) {
              if (!(err instanceof Refusal)) throw err;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: workers }, work));
      finishedAt.push(clock.now());
    }),
  );
  return { waits, finishedAt };
}

test("quota unknown: a refusal spends the minute, the next minutes go at the learned pace; 300 calls under 100 a minute take 3 minutes and under 10% refusals", async () => {
  const clock = new DrivenClock();
  const account = new SimulatedAccount(clock, 100);
  const quota = new AccountQuota("JoinSecurityGroup", undefined, clock);
  const { finishedAt } = await clock.drive(runFleet([quota], account, clock, 300, 8));
  expect(account.passed).toBe(300);
  expect(account.refused / account.passed).toBeLessThanOrEqual(0.1);
  expect(Math.ceil(finishedAt[0]! / MINUTE_MS)).toBeLessThanOrEqual(3 + 1);
  expect(quota.stats).toEqual({ sent: 300 + account.refused, refused: account.refused, waits: expect.any(Number), waitedMs: expect.any(Number) });
});

test("quota stated: never more than the share it may use in a minute, so never refused", async () => {
  const clock = new DrivenClock();
  const account = new SimulatedAccount(clock, 100);
  const stated: StatedQuota = { perMinute: 100, reserve: 0.2 };
  const quota = new AccountQuota("LeaveSecurityGroup", stated, clock);
  const { finishedAt } = await clock.drive(runFleet([quota], account, clock, 200, 8));
  expect(account.refused).toBe(0);
  expect(account.passed).toBe(200);
  // 80 a minute: minutes 0, 1 and 2.
  expect(Math.floor(finishedAt[0]! / MINUTE_MS)).toBe(2);
});

test("three processes sharing one account converge from refusals alone, none finishing much after the others", async () => {
  const clock = new DrivenClock();
  const account = new SimulatedAccount(clock, 100);
  const quotas = [0, 1, 2].map(() => new AccountQuota("JoinSecurityGroup", undefined, clock));
  const { finishedAt } = await clock.drive(runFleet(quotas, account, clock, 100, 8));
  expect(account.passed).toBe(300);
  const minutes = finishedAt.map((at) => Math.ceil(at / MINUTE_MS));
  expect(Math.max(...minutes)).toBeLessThanOrEqual(3 + 1);
  expect(account.refused / account.passed).toBeLessThanOrEqual(0.1);
});

test("quota unknown: a process that starts in a minute others have spent is refused once, not once for each operation in flight", async () => {
  const clock = new DrivenClock();
  const account = new SimulatedAccount(clock, 10, 0);
  await clock.drive(Promise.all(Array.from({ length: 10 }, () => account.call())));
  const quota = new AccountQuota("JoinSecurityGroup", undefined, clock);
  await clock.drive(runFleet([quota], account, clock, 8, 8));
  expect(account.passed).toBe(10 + 8);
  expect(account.refused).toBe(1);
});

test("quota unknown: past the learned pace, one probe at a time, and only once the minute's own calls are out", async () => {
  const clock = new DrivenClock();
  const account = new SimulatedAccount(clock, 100);
  const quotas = [0, 1, 2].map(() => new AccountQuota("JoinSecurityGroup", undefined, clock));
  await clock.drive(runFleet(quotas, account, clock, 200, 8));
  expect(account.passed).toBe(600);
  // Once the pace is learned, each process probes alone past it, after the others' calls of the minute: the full
  // account refuses one probe of each a minute, never a call of another's pace nor several probes in flight at once.
  const afterLearning = account.refusedByMinute.slice(1).map((count) => count ?? 0);
  expect(Math.max(...afterLearning)).toBeLessThanOrEqual(quotas.length);
});

test("waiters are served in the order they came, and each is told when the next minute starts", async () => {
  const clock = new DrivenClock();
  const quota = new AccountQuota("JoinSecurityGroup", { perMinute: 1, reserve: 0 }, clock);
  const order: string[] = [];
  const told: number[] = [];
  const call = (name: string) =>
    quota.run(
      budget(clock, 10 * MINUTE_MS),
      (ms) => told.push(ms),
      async () => void order.push(name),
      () => false,
    );
  await clock.drive(Promise.all(["a", "b", "c"].map(call)));
  expect(order).toEqual(["a", "b", "c"]);
  expect(told.length).toBeGreaterThanOrEqual(2);
  expect(told[0]).toBeGreaterThanOrEqual(MINUTE_MS);
});

test("a wait for the next minute that would pass an operation's deadline fails it at once, naming the action; the others wait on", async () => {
  const clock = new DrivenClock();
  const quota = new AccountQuota("LeaveSecurityGroup", { perMinute: 1, reserve: 0 }, clock);
  const first = quota.run(
    budget(clock, MINUTE_MS * 5),
    () => undefined,
    async () => "first",
    () => false,
  );
  const hurried = quota.run(
    budget(clock, 10_000),
    () => undefined,
    async () => "hurried",
    () => false,
  );
  const patient = quota.run(
    budget(clock, MINUTE_MS * 5),
    () => undefined,
    async () => "patient",
    () => false,
  );
  const outcomes = await clock.drive(Promise.allSettled([first, hurried, patient]));
  expect(outcomes[0]).toEqual({ status: "fulfilled", value: "first" });
  expect(outcomes[1]).toMatchObject({ status: "rejected", reason: expect.any(QuotaDeadlineError) });
  expect((outcomes[1] as PromiseRejectedResult).reason.message).toMatch(/LeaveSecurityGroup quota .* past the deadline/);
  expect(outcomes[2]).toEqual({ status: "fulfilled", value: "patient" });
});

describe("a stated quota", () => {
  const settingsWith = (config: Record<string, string>, env: Record<string, string> = {}) =>
    resolveSettings({ get: (key) => config[key] }, { ALIBABA_CLOUD_ACCESS_KEY_ID: "id", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "secret", ...env });

  test("is read from the stack config, else the environment, with the share left for others", () => {
    expect(settingsWith({ [QUOTA_CONFIG_KEY]: "JoinSecurityGroup=100, LeaveSecurityGroup=50", [QUOTA_RESERVE_CONFIG_KEY]: "0.2" }).quotas).toEqual({
      JoinSecurityGroup: { perMinute: 100, reserve: 0.2 },
      LeaveSecurityGroup: { perMinute: 50, reserve: 0.2 },
    });
    expect(settingsWith({}, { [QUOTA_ENV]: "DescribeInstances=300" }).quotas).toEqual({ DescribeInstances: { perMinute: 300, reserve: 0 } });
    expect(settingsWith({}).quotas).toEqual({});
  });

  test.each([
    [
      { [QUOTA_CONFIG_KEY]: "JoinSecurityGroup=0" },
      /^the stack config alicloud-sg-membership:apiQuota: JoinSecurityGroup=0: .*whole number of at least 1$/,
    ],
    [{ [QUOTA_CONFIG_KEY]: "JoinSecurityGroup=-5" }, /apiQuota: JoinSecurityGroup=-5: .*whole number/],
    [{ [QUOTA_CONFIG_KEY]: "JoinSecurityGroup=2.5" }, /apiQuota: JoinSecurityGroup=2\.5: .*whole number/],
    [{ [QUOTA_CONFIG_KEY]: "JoinSecurityGroups=100" }, /apiQuota: "JoinSecurityGroups" is not an action the provider calls \(JoinSecurityGroup, /],
    [{ [QUOTA_CONFIG_KEY]: "100" }, /apiQuota: "100" is not ACTION=CALLS_PER_MINUTE/],
    [{ [QUOTA_RESERVE_CONFIG_KEY]: "1.5" }, /^the stack config alicloud-sg-membership:apiQuotaReserve: "1\.5" is not a share/],
    [{ [QUOTA_RESERVE_CONFIG_KEY]: "-0.1" }, /apiQuotaReserve: "-0\.1" is not a share/],
  ])("that makes no sense (%j) is refused in one line naming the setting", (config, message) => {
    expect(() => settingsWith(config)).toThrow(expect.objectContaining({ code: "InvalidSetting", message: expect.stringMatching(message) }));
  });
});

test("quota stated: calls sent as a minute ends, counted by the account in the next, are counted there by the limiter too", async () => {
  const clock = new DrivenClock();
  // Each call takes 600 ms to reach the account: those sent in a minute's last 600 ms count in the next one.
  const account = new SimulatedAccount(clock, 10, 600);
  const quota = new AccountQuota("JoinSecurityGroup", { perMinute: 10, reserve: 0 }, clock);
  await clock.drive(clock.sleep(MINUTE_MS - 500));
  await clock.drive(runFleet([quota], account, clock, 40, 8));
  expect(account.passed).toBe(40);
  expect(account.refused).toBe(0);
});

describe("a shortened window, for emulators whose flow control counts in windows shorter than a minute", () => {
  test("the limiter paces by the clock's window: 12 calls under 4 a 3 s window take 3 windows, plus the first refused", async () => {
    const clock = new DrivenClock(3_000);
    const account = new SimulatedAccount(clock, 4);
    const quota = new AccountQuota("JoinSecurityGroup", undefined, clock);
    const { finishedAt, waits } = await clock.drive(runFleet([quota], account, clock, 12, 4));
    expect(account.passed).toBe(12);
    expect(Math.ceil(finishedAt[0]! / 3_000)).toBeLessThanOrEqual(3 + 1);
    // Waits end within the next window's spread (5% of it), never a whole minute away.
    expect(Math.max(...waits)).toBeLessThanOrEqual(3_000 + 150);
  });

  test(`${QUOTA_WINDOW_ENV} gives the window; unset, a minute; a bad value is refused, naming the variable`, () => {
    expect(quotaWindowMs({})).toBe(MINUTE_MS);
    expect(quotaWindowMs({ [QUOTA_WINDOW_ENV]: "3000" })).toBe(3_000);
    for (const bad of ["3s", "50", "120000", "1.5e3x"]) {
      expect(() => quotaWindowMs({ [QUOTA_WINDOW_ENV]: bad })).toThrow(`${QUOTA_WINDOW_ENV} must be a whole number of ms from 100 to 60000`);
    }
  });
});
