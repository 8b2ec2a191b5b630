/**
 * Reads targets' live group lists, coalescing concurrent reads without a time window (Nagle-style, like DataLoader-type
 * batchers): per region and kind, reads go out when fewer than MAX_REQUESTS_IN_FLIGHT Describe requests of that queue
 * are on the wire; reads that arrive meanwhile wait and go out together, one DescribeInstances per 100 distinct
 * instances (InstanceIds as a JSON array) or one DescribeNetworkInterfaces per 100 ENIs, chunks in parallel.
 *
 * Every caller keeps its own deadline: a batch is retried only while one of its callers still waits, and each caller
 * gets its answer, or the batch's last error, by its own deadline, however long the others are prepared to wait.
 * Read and diff may instead take a state asked for in the last couple of seconds (recent-states.ts), or wait for the
 * answer of a call already sent for their target.
 */
import type { BackoffPolicy } from "./backoff";
import { MIN_REQUEST_TIMEOUT_MS, requestTimeoutFor, seconds, type Deadline, type TimeBudget } from "./deadline";
import { OWN_CODES } from "./ecs-codes";
import type { EcsClient, EcsParams, EcsResponse } from "./ecs-client";
import { EcsApiError, MembershipError } from "./errors";
import { RecentStates } from "./recent-states";
import { GaveUpError, withRetries, type RetryEvent } from "./retry";
import { queueKey, targetKey, type Target, type TargetKind, type TargetState } from "./target";

/** ECS accepts at most 100 IDs per Describe* call. */
export const IDS_PER_CALL = 100;
/** Describe requests of one region and kind on the wire at once; the reads arriving meanwhile are batched behind them. */
export const MAX_REQUESTS_IN_FLIGHT = 1;

type Row = Record<string, unknown>;

function wrappedList(container: unknown, key: string): Row[] {
  const inner = (container as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as Row[]) : [];
}

const QUERIES = {
  instance: {
    action: "DescribeInstances",
    idField: "InstanceId",
    params: (ids: string[]): EcsParams => ({ InstanceIds: JSON.stringify(ids) }),
    rows: (response: EcsResponse) => wrappedList(response.Instances, "Instance"),
  },
  networkInterface: {
    action: "DescribeNetworkInterfaces",
    idField: "NetworkInterfaceId",
    params: (ids: string[]): EcsParams => ({ NetworkInterfaceId: ids }),
    rows: (response: EcsResponse) => wrappedList(response.NetworkInterfaceSets, "NetworkInterfaceSet"),
  },
} as const;

function rowState(kind: TargetKind, row: Row, regionId: string): TargetState {
  const securityGroupIds = wrappedList(row.SecurityGroupIds, "SecurityGroupId").map(String);
  return { kind, id: String(row[QUERIES[kind].idField]), regionId, status: String(row.Status), securityGroupIds };
}

/**
 * One caller of a read: answered once, by the batch or by its own deadline, whichever comes first. A call sent at the
 * deadline still gets the time of one request (the bound the README promises: the deadline plus one request's timeout).
 */
class Waiter {
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly endsAt: number,
    private readonly resolveWith: (state: TargetState | undefined) => void,
    private readonly rejectWith: (err: unknown) => void,
    onExpired: () => unknown,
  ) {
    this.timer = setTimeout(() => this.reject(onExpired()), Math.max(0, endsAt - Date.now()) + MIN_REQUEST_TIMEOUT_MS);
  }

  get waiting(): boolean {
    return !this.settled;
  }

  resolve(state: TargetState | undefined): void {
    if (this.finish()) this.resolveWith(state);
  }

  reject(err: unknown): void {
    if (this.finish()) this.rejectWith(err);
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    return true;
  }
}

/** Reads gathered to go out together. */
class Batch {
  readonly waiters = new Map<string, Waiter[]>();
  sentAt = 0;
  lastError?: EcsApiError;
  attempts = 0;

  constructor(
    readonly kind: TargetKind,
    readonly regionId: string,
    /** The first caller's; callers of one process share one policy outside tests. */
    readonly policy: BackoffPolicy,
  ) {}

  get action(): string {
    return QUERIES[this.kind].action;
  }

  add(id: string, endsAt: number): Promise<TargetState | undefined> {
    return new Promise((resolve, reject) => {
      const waiter = new Waiter(endsAt, resolve, reject, () => this.expired(id));
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), waiter]);
    });
  }

  /** The time the call for `ids` may take: until the last of their callers stops waiting. */
  budgetFor(ids: string[]): TimeBudget {
    const remainingMs = () => {
      const live = ids.flatMap((id) => this.waiters.get(id) ?? []).filter((w) => w.waiting);
      return Math.max(0, ...live.map((w) => w.endsAt - Date.now()));
    };
    return { remainingMs, elapsedMs: () => Date.now() - this.sentAt, requestTimeoutMs: () => requestTimeoutFor(remainingMs()) };
  }

  answer(id: string, state: TargetState | undefined): void {
    this.waiters.get(id)?.forEach((w) => w.resolve(state));
  }

  fail(id: string, err: unknown): void {
    this.waiters.get(id)?.forEach((w) => w.reject(err));
  }

  /** What a caller whose deadline passed first is told: the batch's trouble so far, or that no answer came. */
  private expired(id: string): unknown {
    const elapsedMs = this.sentAt ? Date.now() - this.sentAt : 0;
    if (this.lastError) return new GaveUpError(this.lastError, this.attempts, elapsedMs);
    return new MembershipError(
      `${this.action} for ${id} in ${this.regionId} did not answer before the operation's deadline (${seconds(elapsedMs)} after it was sent)`,
      OWN_CODES.deadlineExceeded,
    );
  }
}

/** One per region and kind: its requests on the wire, and the reads gathered behind them. */
interface Queue {
  requestsInFlight: number;
  waiting?: Batch;
  sendScheduled: boolean;
  /** Sent batches not yet answered, by target ID: a read or diff may wait for one instead of asking again. */
  sent: Map<string, Batch>;
}

export class MembershipReader {
  private readonly queues = new Map<string, Queue>();
  private readonly recentStates = new RecentStates();

  constructor(
    private readonly client: EcsClient,
    private readonly onRetry: (action: string, event: RetryEvent) => void,
  ) {}

  /** The target as ECS reports it now; undefined when it does not exist. Answers (or fails) by `deadline`. */
  read(target: Target, deadline: Deadline, policy: BackoffPolicy): Promise<TargetState | undefined> {
    const queue = this.queueOf(target);
    const batch = (queue.waiting ??= new Batch(target.kind, target.regionId, policy));
    const state = batch.add(target.id, deadline.endsAt);
    if (queue.requestsInFlight < MAX_REQUESTS_IN_FLIGHT) this.scheduleSend(queue);
    return state;
  }

  /**
   * For operations that only look (read, diff): a state asked for within `maxAgeMs`, or the answer of a call already
   * sent for the target, before asking ECS again.
   */
  readRecent(target: Target, maxAgeMs: number, deadline: Deadline, policy: BackoffPolicy): Promise<TargetState | undefined> {
    const recent = this.recentStates.recent(targetKey(target), maxAgeMs);
    if (recent) return Promise.resolve(recent.state);
    const sent = this.queueOf(target).sent.get(target.id);
    if (!sent || Date.now() - sent.sentAt >= maxAgeMs) return this.read(target, deadline, policy);
    return sent.add(target.id, deadline.endsAt);
  }

  /** Called before and after every Join or Leave: reads that looked before it may not serve anyone after it. */
  markWritten(target: Target): void {
    this.recentStates.markWritten(targetKey(target));
    this.queueOf(target).sent.delete(target.id);
  }

  private queueOf(where: Pick<Target, "kind" | "regionId">): Queue {
    const key = queueKey(where);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { requestsInFlight: 0, sendScheduled: false, sent: new Map() };
      this.queues.set(key, queue);
    }
    return queue;
  }

  /**
   * Sends at the end of this turn of the event loop, not at once: reads started by the same event (a burst of
   * operations, or the callers of a batch that just returned reading again) then share one call instead of the first
   * going alone and the rest waiting a round trip for it. There is no fixed wait: only the event's other callbacks run first.
   */
  private scheduleSend(queue: Queue): void {
    if (queue.sendScheduled) return;
    queue.sendScheduled = true;
    setImmediate(() => {
      queue.sendScheduled = false;
      if (queue.requestsInFlight < MAX_REQUESTS_IN_FLIGHT) this.send(queue);
    });
  }

  private send(queue: Queue): void {
    const batch = queue.waiting;
    if (!batch) return;
    queue.waiting = undefined;
    batch.sentAt = Date.now();
    const ids = [...batch.waiters.keys()];
    ids.forEach((id) => queue.sent.set(id, batch));
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) void this.settle(queue, batch, ids.slice(i, i + IDS_PER_CALL));
  }

  /** A failed call fails only its own chunk's reads. Every answer is remembered, whoever asked. */
  private async settle(queue: Queue, batch: Batch, chunk: string[]): Promise<void> {
    try {
      const states = await this.fetch(queue, batch, chunk);
      for (const id of chunk) {
        this.unsend(queue, batch, id);
        this.recentStates.remember(targetKey({ kind: batch.kind, regionId: batch.regionId, id }), states.get(id), batch.sentAt);
        batch.answer(id, states.get(id));
      }
    } catch (err) {
      for (const id of chunk) {
        this.unsend(queue, batch, id);
        batch.fail(id, err);
      }
    }
  }

  private unsend(queue: Queue, batch: Batch, id: string): void {
    if (queue.sent.get(id) === batch) queue.sent.delete(id);
  }

  /**
   * All of `ids` fit one page; further pages are asked for only while an answer brings requested targets not seen yet
   * and someone still waits, so an endpoint that always promises another page cannot keep a read running.
   */
  private async fetch(queue: Queue, batch: Batch, ids: string[]): Promise<Map<string, TargetState>> {
    const query = QUERIES[batch.kind];
    const wanted = new Set(ids);
    const states = new Map<string, TargetState>();
    const budget = batch.budgetFor(ids);
    for (let page = 1; ; page++) {
      const params: EcsParams = { RegionId: batch.regionId, ...query.params(ids), PageSize: IDS_PER_CALL, PageNumber: page };
      const response = await withRetries(() => this.request(queue, query.action, params, budget), {
        kind: "read",
        budget,
        policy: batch.policy,
        onRetry: (event) => this.onRetry(query.action, event),
        onFailure: (error) => {
          batch.lastError = error;
          batch.attempts++;
        },
      });
      const fresh = query.rows(response).map((row) => rowState(batch.kind, row, batch.regionId)).filter((s) => wanted.has(s.id) && !states.has(s.id));
      fresh.forEach((state) => states.set(state.id, state));
      const total = Number(response.TotalCount);
      const morePromised = Number.isFinite(total) && page * IDS_PER_CALL < total;
      if (fresh.length === 0 || states.size === wanted.size || !morePromised || budget.remainingMs() <= 0) return states;
    }
  }

  /**
   * Only requests on the wire hold the reads behind them back: a batch sleeping out a retry's backoff does not, so a
   * throttled call never stalls the reads that come after it.
   */
  private async request(queue: Queue, action: string, params: EcsParams, budget: TimeBudget): Promise<EcsResponse> {
    queue.requestsInFlight++;
    try {
      return await this.client.call(action, params, budget.requestTimeoutMs());
    } finally {
      queue.requestsInFlight--;
      if (queue.requestsInFlight < MAX_REQUESTS_IN_FLIGHT && queue.waiting) this.scheduleSend(queue);
    }
  }
}
