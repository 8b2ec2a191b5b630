import { claimedCaller } from "../auth/authenticate";
import type { ParsedRequest } from "../protocol/request-parser";
import type { WireResponse } from "../responses/render";
import type { ActionCounters, CallRecord } from "./types";

export type { ActionCounters, CallRecord } from "./types";

/** What handleEcsRequest knows of a call once it is answered. */
export interface CallOutcome {
  req: ParsedRequest | undefined;
  action: string | undefined;
  faults: string[];
  /** The flow-control quota that refused the call, as `quota 100 per 60000 ms`. */
  quota?: string;
  answer: WireResponse | undefined;
  startedAt: number;
}

/** Longer text from a caller is cut: the log holds a bounded number of bounded entries. */
const MAX_TEXT = 64;
export const DEFAULT_LOG_SIZE = 500;

/**
 * The last calls of the ECS API and counters per action, for the console. Bounded: a ring of the last `size` calls, and
 * counters only for the actions the emulator knows (any other Action lands in "other", as in the stats).
 */
export class RequestLog {
  private readonly ring: CallRecord[] = [];
  private next = 0;
  private seq = 0;
  private readonly counters = new Map<string, ActionCounters>();
  /** Told of every call as it is recorded (the console hub, while pages watch). */
  onRecord: ((call: CallRecord) => void) | undefined;

  constructor(
    private readonly knownActions: ReadonlySet<string>,
    private readonly size = DEFAULT_LOG_SIZE,
  ) {}

  record(outcome: CallOutcome, now = Date.now()): void {
    const call = describeCall(outcome, (this.seq += 1), now);
    if (this.ring.length < this.size) this.ring.push(call);
    else this.ring[this.next] = call;
    this.next = (this.next + 1) % this.size;
    const bucket = this.knownActions.has(call.action) ? call.action : "other";
    const counters = this.counters.get(bucket) ?? { calls: 0, errors: 0, throttled: 0 };
    counters.calls += 1;
    if (call.code !== "OK") counters.errors += 1;
    if (call.throttled) counters.throttled += 1;
    this.counters.set(bucket, counters);
    this.onRecord?.(call);
  }

  /** Oldest first. */
  recent(): CallRecord[] {
    return this.ring.length < this.size ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  countersByAction(): Record<string, ActionCounters> {
    return Object.fromEntries([...this.counters].map(([action, counters]) => [action, { ...counters }]));
  }
}

function describeCall({ req, action, faults, quota, answer, startedAt }: CallOutcome, seq: number, now: number): CallRecord {
  const caller = req ? claimedCaller(req) : {};
  const param = (name: string) => cut(req?.params.get(name));
  const code = answer === undefined ? "dropped" : (answer.code ?? (answer.status < 400 ? "OK" : `HTTP ${answer.status}`));
  return {
    seq,
    at: startedAt,
    action: cut(action) ?? "(none)",
    target: param("InstanceId") ?? param("NetworkInterfaceId"),
    group: param("SecurityGroupId"),
    keyId: caller.accessKeyId === undefined ? undefined : maskKeyId(caller.accessKeyId),
    signatureMethod: cut(caller.signatureMethod),
    status: answer?.status ?? null,
    code,
    latencyMs: Math.max(0, now - startedAt),
    ...(faults.length > 0 ? { faults } : {}),
    ...(quota === undefined ? {} : { quota }),
    throttled: code.startsWith("Throttling"),
    conflict: code === "InvalidOperation.Conflict",
  };
}

function cut(text: string | undefined): string | undefined {
  return text === undefined || text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…`;
}

/** Enough of a key ID to tell keys apart, never the whole of it: its first four and last four characters. */
export function maskKeyId(id: string): string {
  return id.length <= 12 ? "****" : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
