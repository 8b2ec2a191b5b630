import { NonceStore } from "../../emulator/auth/nonce-store";
import { FaultInjector } from "../../emulator/faults/fault-injector";
import { parseFaultRules } from "../../emulator/faults/fault-rules";
import { toXmlElements } from "../../emulator/responses/xml";

describe("NonceStore", () => {
  it("refuses a nonce reused within the window, per access key", () => {
    const store = new NonceStore(1000, 100);
    expect(store.claim("AK", "n1", 0)).toBe(true);
    expect(store.claim("AK", "n1", 500)).toBe(false);
    expect(store.claim("OTHER", "n1", 500)).toBe(true);
  });

  it("forgets nonces once the window has passed", () => {
    const store = new NonceStore(1000, 100);
    store.claim("AK", "n1", 0);
    expect(store.claim("AK", "n2", 1500)).toBe(true);
    expect(store.size).toBe(1);
  });

  it("keeps memory bounded by refusing a full key, never by forgetting a nonce early", () => {
    const store = new NonceStore(60_000, 100);
    for (let i = 0; i < 100; i++) store.claim("AK", `n${i}`, i);
    expect(() => store.claim("AK", "n100", 100)).toThrow(expect.objectContaining({ code: "Throttling.User", httpStatus: 400 }));
    expect(store.claim("AK", "n0", 100)).toBe(false);
    expect(store.claim("OTHER", "n100", 100)).toBe(true);
    expect(store.size).toBe(101);
    expect(store.claim("AK", "n100", 60_000)).toBe(true);
  });
});

describe("FaultInjector", () => {
  const schedule = (injector: FaultInjector) =>
    Array.from({ length: 50 }, () => injector.decide("DescribeInstances", undefined).fault?.kind ?? "-").join("");

  it("replays the same schedule from the same rngSeed", () => {
    const rules = parseFaultRules([{ action: "*", kind: "throttling", probability: 0.5 }]);
    const first = schedule(new FaultInjector(rules, 42));
    expect(schedule(new FaultInjector(rules, 42))).toBe(first);
    expect(first).toMatch(/throttling/);
    expect(first).toMatch(/-/);
    expect(schedule(new FaultInjector(rules, 7))).not.toBe(first);
  });

  it("fires a rule with times only that many times, and only for its action and target", () => {
    const injector = new FaultInjector(parseFaultRules([{ action: "LeaveSecurityGroup", kind: "timeout", times: 2, target: "i-a" }]));
    expect(injector.decide("LeaveSecurityGroup", "i-b").fault).toBeUndefined();
    expect(injector.decide("JoinSecurityGroup", "i-a").fault).toBeUndefined();
    expect(injector.decide("LeaveSecurityGroup", "i-a").fault).toEqual({ kind: "timeout" });
    expect(injector.decide("LeaveSecurityGroup", "i-a").fault).toEqual({ kind: "timeout" });
    expect(injector.decide("LeaveSecurityGroup", "i-a").fault).toBeUndefined();
    expect(injector.settings().rules[0]!.times).toBe(0);
  });

  it("adds up latency and still lets a terminal fault through", () => {
    const injector = new FaultInjector(
      parseFaultRules([
        { action: "*", kind: "latency", latencyMs: 10 },
        { action: "*", kind: "latency", latencyMs: 5 },
        { action: "*", kind: "throttling", code: "Throttling.User" },
      ]),
    );
    expect(injector.decide("X", undefined)).toEqual({
      latencyMs: 15,
      fault: { kind: "throttling", code: "Throttling.User" },
      fired: ["#1 latency", "#2 latency", "#3 throttling"],
    });
  });

  it.each([
    [{ action: "*", kind: "explode" }, "kind must be one of"],
    [{ action: "*", kind: "throttling", code: "Nope" }, "code is only for kind"],
    [{ action: "*", kind: "latency" }, "latencyMs is required"],
    [{ action: "*", kind: "drop", probability: 2 }, "probability must be"],
    [{ action: "*", kind: "drop", times: -1 }, "times must be"],
    [{ kind: "drop" }, "action must be"],
    [{ action: "*", kind: "drop", when: "now" }, "unknown field(s): when"],
  ])("refuses the invalid rule %j", (rule, message) => {
    expect(() => parseFaultRules([rule])).toThrow(message);
  });
});

describe("XML rendering", () => {
  it("repeats array elements under their wrapper's name and escapes text", () => {
    expect(toXmlElements("R", { SecurityGroupIds: { SecurityGroupId: ["a", "b"] }, Name: "<x&y>", N: 3 })).toBe(
      "<R><SecurityGroupIds><SecurityGroupId>a</SecurityGroupId><SecurityGroupId>b</SecurityGroupId></SecurityGroupIds>" +
        "<Name>&#60;x&#38;y&#62;</Name><N>3</N></R>",
    );
  });
});
