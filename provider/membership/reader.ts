/**
 * Reads targets' live group lists, coalescing concurrent reads without a time window (Nagle-style, like DataLoader-type
 * batchers): per queue, reads go out when no request of that queue is on the wire; reads that arrive meanwhile wait and
 * go out together when it returns. A queue is either one region's instances or ENIs (one DescribeInstances per 100
 * distinct instances, InstanceIds as a JSON array, or one DescribeNetworkInterfaces per 100 ENIs), or the instances of
 * one security group (one DescribeInstances filtered by SecurityGroupId, first page only).
 *
 * Writes always read their target fresh. Read and diff, which only ask "is this target in this group?", may instead use
 * a state asked for in the last couple of seconds (recent-states.ts), or the listing of the group's instances: Pulumi
 * diffs a stack's resources one after another, so a listing that answers a hundred memberships in one round trip is
 * what keeps a preview of a fleet close to the engine's own pace. A listing that is not complete (the group has more
 * than one page of instances) answers what it shows and leaves the rest to targeted reads.
 *
 * The reads that confirm a Join or Leave are the exception: a queue sends them at most every GATHER_MS (a burst's after
 * BURST_MS), unless a read that may not wait joins them, because Pulumi hands a fleet's creates and deletes to the
 * provider a few at a time, at the engine's own pace: without spacing, each write would be confirmed by a call of its
 * own, and every call counts against the account's Describe quota. They go at once when every Join and Leave of the
 * queue's targets in progress waits for them, as many as ever were at once: the engine then has no slot left to send
 * another, so waiting longer would only cost time.
 *
 * Every caller keeps its own deadline: a batch is retried only while one of its callers still waits, and each caller
 * gets its answer, or the batch's last error, by its own deadline, however long the others are prepared to wait. Each
 * retry of a batch is told to every resource still waiting for it, once, and not to the stack: the stack is not what
 * waits.
 */
import type { BackoffPolicy } from "../calls/backoff";
import { MIN_REQUEST_TIMEOUT_MS, requestTimeoutFor, seconds, type Deadline, type TimeBudget } from "../calls/deadline";
import { OWN_CODES } from "../ecs/codes";
import { quotaWaitMessage } from "../calls/account-quota";
import type { PacedEcs } from "../calls/paced-ecs";
import type { EcsParams, EcsResponse } from "../ecs/client";
import { EcsApiError, MembershipError } from "../ecs/errors";
import type { ProgressLog } from "./progress-log";
import { RecentStates } from "./recent-states";
import { GaveUpError, retryMessage, withRetries, type RetryEvent } from "../calls/retry";
import { describeTarget, queueKey, targetKey, type Target, type TargetKind, type TargetState } from "../ecs/target";

/** ECS accepts at most 100 IDs per Describe* call, and pages DescribeInstances by at most 100. */
export const IDS_PER_CALL = 100;
/**
 * A group whose listing did not fit one page is not listed again for this long: its memberships go straight to
 * targeted reads, instead of paying for a listing that cannot answer most of them.
 */
const LARGE_GROUP_MEMORY_MS = 10 * 60_000;
/**
 * The least time between two calls of a queue that confirm writes. The engine hands over a fleet's steps at 10 to 20
 * a second here (its checkpoint writes bound it), so each such call confirms 5 to 10 writes, while a write waits 0.25 s
 * on average: too little to fill the engine's slots (4 per CPU core), which would slow the run.
 */
export const GATHER_MS = 500;
/** How long the first confirmation after a quiet spell waits for the rest of its burst (writes sent together return together). */
const BURST_MS = 50;

type Row = Record<string, unknown>;

/** Who asks for a target's state: an operation, with its deadline, backoff and (inside Pulumi) its resource's URN. */
export interface ReadCaller {
  target: Target;
  deadline: Deadline;
  policy: BackoffPolicy;
  urn?: string;
}

/** What a read learned: the target's state (undefined: it does not exist, or a listing shows it is not in the group), or nothing. */
type Answer = { known: true; state: TargetState | undefined } | { known: false };

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
    /** The resource the caller works for, to log the batch's retries against. */
    readonly urn: string | undefined,
    private readonly resolveWith: (answer: Answer) => void,
    private readonly rejectWith: (err: unknown) => void,
    onExpired: () => unknown,
  ) {
    this.timer = setTimeout(() => this.reject(onExpired()), Math.max(0, endsAt - Date.now()) + MIN_REQUEST_TIMEOUT_MS);
  }

  get waiting(): boolean {
    return !this.settled;
  }

  resolve(answer: Answer): void {
    if (this.finish()) this.resolveWith(answer);
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
    readonly action: string,
    readonly regionId: string,
    /** The first caller's; callers of one process share one policy outside tests. */
    readonly policy: BackoffPolicy,
  ) {}

  /** How many reads wait for the batch. */
  callers(): number {
    return [...this.waiters.values()].reduce((sum, waiters) => sum + waiters.length, 0);
  }

  add(id: string, caller: Pick<ReadCaller, "deadline" | "urn">): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const waiter = new Waiter(caller.deadline.endsAt, caller.urn, resolve, reject, () => this.expired(id));
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), waiter]);
    });
  }

  /** The time the call for `ids` may take: until the last of their callers stops waiting. */
  budgetFor(ids: string[]): TimeBudget {
    const remainingMs = () => Math.max(0, ...this.stillWaiting(ids).map(({ waiter }) => waiter.endsAt - Date.now()));
    return { remainingMs, elapsedMs: () => Date.now() - this.sentAt, requestTimeoutMs: () => requestTimeoutFor(remainingMs()) };
  }

  /** The resources still waiting for any of `ids`, each once (a resource may read one target twice), with its target. */
  resourcesWaiting(ids: string[]): { urn: string; id: string }[] {
    const byUrn = new Map(this.stillWaiting(ids).flatMap(({ id, waiter }): [string, string][] => (waiter.urn ? [[waiter.urn, id]] : [])));
    return [...byUrn].map(([urn, id]) => ({ urn, id }));
  }

  private stillWaiting(ids: string[]): { id: string; waiter: Waiter }[] {
    return ids.flatMap((id) => (this.waiters.get(id) ?? []).filter((waiter) => waiter.waiting).map((waiter) => ({ id, waiter })));
  }

  answer(id: string, answer: Answer): void {
    this.waiters.get(id)?.forEach((w) => w.resolve(answer));
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

/** What one queue's call asks ECS, for the IDs of a batch; `call` sends one request on the queue's behalf. */
type Fetch = (batch: Batch, ids: string[], call: (params: EcsParams, budget: TimeBudget) => Promise<EcsResponse>) => Promise<Map<string, Answer>>;

/** One queue: its request on the wire, and the reads gathered behind it. */
interface Queue {
  action: string;
  regionId: string;
  fetch: Fetch;
  /** How many IDs one call covers. */
  chunk: number;
  requestsInFlight: number;
  waiting?: Batch;
  sendScheduled: boolean;
  /** Sent batches not yet answered, by target ID: a read or diff may wait for one instead of asking again. */
  sent: Map<string, Batch>;
  /** Until when the gathering batch waits for more confirmations, and the timer that sends it then. */
  hold?: { endsAt: number; timer?: NodeJS.Timeout };
  /** When the queue last sent a batch of confirmations. */
  confirmedAt: number;
  /** Joins and Leaves of the queue's targets in progress: now, and the most there ever were at once. */
  writes: { now: number; most: number };
}

/** What the last complete listing of a group showed, for read and diff of memberships of that group. */
interface Listing {
  askedAt: number;
  members: Set<string>;
}

export class MembershipReader {
  private readonly queues = new Map<string, Queue>();
  private readonly recentStates = new RecentStates();
  private readonly listings = new Map<string, Listing>();
  /** Groups with more instances than one listing shows, by the time that was seen. */
  private readonly largeGroups = new Map<string, number>();

  constructor(
    private readonly calls: PacedEcs,
    private readonly log: Pick<ProgressLog, "info">,
  ) {}

  /** The caller's target as ECS reports it now; undefined when it does not exist. Answers (or fails) by the caller's deadline. */
  async describe(caller: ReadCaller): Promise<TargetState | undefined> {
    return answeredState(await this.ask(this.targetQueue(caller.target), caller));
  }

  /** Called as a Join or Leave operation on `target` begins; returns what to call as it ends. */
  writeStarted(target: Target): () => void {
    const queue = this.targetQueue(target);
    const writes = queue.writes;
    writes.most = Math.max(writes.most, ++writes.now);
    return () => {
      writes.now--;
      if (queue.hold) this.scheduleSend(queue);
    };
  }

  /** As `describe`, for the look that confirms a write: it may wait (GATHER_MS at most) for others to share its call. */
  async confirm(caller: ReadCaller): Promise<TargetState | undefined> {
    return answeredState(await this.ask(this.targetQueue(caller.target), caller, true));
  }

  /**
   * For operations that only ask whether `target` is in `securityGroupId` (read, diff): a state asked for within
   * `maxAgeMs`, the answer of a call already sent about the target, or a listing of the group's instances, before a
   * targeted read.
   */
  async describeRecent(caller: ReadCaller, securityGroupId: string, maxAgeMs: number): Promise<TargetState | undefined> {
    const target = caller.target;
    const key = targetKey(target);
    const recent = this.recentStates.recent(key, maxAgeMs);
    if (recent) return recent.state;
    for (const { listedGroup, batch } of this.sentAbout(target, maxAgeMs)) {
      const answer = await batch.add(target.id, caller);
      // A listing of another group that does not show the target says nothing about this group.
      if (answer.known && (answer.state !== undefined || listedGroup === undefined || listedGroup === securityGroupId)) return answer.state;
    }
    if (target.kind === "instance" && !this.isLarge(`${target.regionId}|${securityGroupId}`)) {
      const listed = this.listings.get(`${target.regionId}|${securityGroupId}`);
      if (listed && Date.now() - listed.askedAt < maxAgeMs && this.showsNotMember(listed, key, target.id)) return undefined;
      const answer = await this.ask(this.listingQueue(target.regionId, securityGroupId), caller);
      if (answer.known) return answer.state;
    }
    return answeredState(await this.ask(this.targetQueue(target), caller));
  }

  /** Calls sent within `maxAgeMs` and not yet answered that asked about the target, with the group a listing lists. */
  private sentAbout(target: Target, maxAgeMs: number): { listedGroup?: string; batch: Batch }[] {
    const found: { listedGroup?: string; batch: Batch }[] = [];
    const consider = (batch: Batch | undefined, listedGroup?: string) => {
      if (batch && Date.now() - batch.sentAt < maxAgeMs) found.push({ listedGroup, batch });
    };
    consider(this.targetQueue(target).sent.get(target.id));
    if (target.kind === "instance") {
      const prefix = `listing|${target.regionId}|`;
      for (const [key, queue] of this.queues) if (key.startsWith(prefix)) consider(queue.sent.get(target.id), key.slice(prefix.length));
    }
    return found;
  }

  /** Called before and after every Join or Leave: reads that looked before it may not serve anyone after it. */
  markWritten(target: Target): void {
    this.recentStates.markWritten(targetKey(target));
    this.targetQueue(target).sent.delete(target.id);
    for (const [key, queue] of this.queues) if (key.startsWith(`listing|${target.regionId}|`)) queue.sent.delete(target.id);
  }

  private isLarge(groupKey: string): boolean {
    const seenAt = this.largeGroups.get(groupKey);
    return seenAt !== undefined && Date.now() - seenAt < LARGE_GROUP_MEMORY_MS;
  }

  private showsNotMember(listing: Listing, key: string, id: string): boolean {
    return !listing.members.has(id) && !this.recentStates.writtenSince(key, listing.askedAt);
  }

  /**
   * Adds a read to the queue's gathering batch, and sends that when nothing of the queue is on the wire and, if the
   * batch opened with a confirmation, once its time has come or a read that may not wait joined it.
   */
  private ask(queue: Queue, caller: ReadCaller, confirming = false): Promise<Answer> {
    if (!queue.waiting) {
      queue.waiting = new Batch(queue.action, queue.regionId, caller.policy);
      if (confirming) queue.hold = { endsAt: Math.max(Date.now() + BURST_MS, queue.confirmedAt + GATHER_MS) };
    } else if (!confirming) {
      queue.hold = stopped(queue.hold);
    }
    const answer = queue.waiting.add(caller.target.id, caller);
    if (queue.requestsInFlight === 0) this.scheduleSend(queue);
    return answer;
  }

  private queueOf(key: string, make: () => Omit<Queue, "requestsInFlight" | "sendScheduled" | "sent" | "writes" | "confirmedAt">): Queue {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { ...make(), requestsInFlight: 0, sendScheduled: false, sent: new Map(), writes: { now: 0, most: 0 }, confirmedAt: 0 };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private targetQueue(target: Target): Queue {
    return this.queueOf(queueKey(target), () => ({
      action: QUERIES[target.kind].action,
      regionId: target.regionId,
      fetch: (batch, ids, call) => this.fetchTargets(target.kind, batch, ids, call),
      chunk: IDS_PER_CALL,
    }));
  }

  /** Listing queues answer as many memberships as come: a listing is one call whatever is asked of it. */
  private listingQueue(regionId: string, securityGroupId: string): Queue {
    return this.queueOf(`listing|${regionId}|${securityGroupId}`, () => ({
      action: QUERIES.instance.action,
      regionId,
      fetch: (batch, ids, call) => this.fetchListing(securityGroupId, batch, ids, call),
      chunk: Number.POSITIVE_INFINITY,
    }));
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
      if (queue.requestsInFlight === 0 && !this.heldBack(queue)) this.send(queue);
    });
  }

  /** Whether the gathering batch still gathers (a full call's worth goes at once); if so, it is sent when its time is up. */
  private heldBack(queue: Queue): boolean {
    const hold = queue.hold;
    const remainingMs = hold ? hold.endsAt - Date.now() : 0;
    const callers = queue.waiting?.callers() ?? 0;
    const { now, most } = queue.writes;
    if (!hold || remainingMs <= 0 || (queue.waiting?.waiters.size ?? 0) >= queue.chunk || (now === most && callers >= now)) return false;
    // Timers may fire a little early: when this one fires, the gathering is over whatever the clock says.
    hold.timer ??= setTimeout(() => {
      hold.endsAt = 0;
      this.scheduleSend(queue);
    }, remainingMs);
    return true;
  }

  private send(queue: Queue): void {
    const batch = queue.waiting;
    if (!batch) return;
    queue.waiting = undefined;
    if (queue.hold) queue.confirmedAt = Date.now();
    queue.hold = stopped(queue.hold);
    batch.sentAt = Date.now();
    const ids = [...batch.waiters.keys()];
    ids.forEach((id) => queue.sent.set(id, batch));
    for (let i = 0; i < ids.length; i += queue.chunk) void this.answerChunk(queue, batch, ids.slice(i, i + queue.chunk));
  }

  /** A failed call fails only its own chunk's reads. */
  private async answerChunk(queue: Queue, batch: Batch, chunk: string[]): Promise<void> {
    try {
      const answers = await queue.fetch(batch, chunk, (params, budget) => this.request(queue, batch, chunk, params, budget));
      for (const id of chunk) {
        this.unsend(queue, batch, id);
        batch.answer(id, answers.get(id) ?? { known: false });
      }
    } catch (err) {
      for (const id of chunk) {
        this.unsend(queue, batch, id);
        batch.fail(id, err);
      }
    }
  }

  /**
   * Only requests on the wire hold the reads behind them back: a batch sleeping out a retry's backoff does not, so a
   * throttled call never stalls the reads that come after it.
   */
  private async request(queue: Queue, batch: Batch, ids: string[], params: EcsParams, budget: TimeBudget): Promise<EcsResponse> {
    queue.requestsInFlight++;
    try {
      return await this.calls.call(queue.action, params, { budget, onWait: (action, ms) => this.logQuotaWait(batch, ids, action, ms) });
    } finally {
      queue.requestsInFlight--;
      if (queue.requestsInFlight === 0 && queue.waiting) this.scheduleSend(queue);
    }
  }

  private unsend(queue: Queue, batch: Batch, id: string): void {
    if (queue.sent.get(id) === batch) queue.sent.delete(id);
  }

  /**
   * All of `ids` fit one page; further pages are asked for only while an answer brings requested targets not seen yet
   * and someone still waits, so an endpoint that always promises another page cannot keep a read running.
   */
  private async fetchTargets(kind: TargetKind, batch: Batch, ids: string[], call: Parameters<Fetch>[2]): Promise<Map<string, Answer>> {
    const query = QUERIES[kind];
    const wanted = new Set(ids);
    const states = new Map<string, TargetState>();
    const budget = batch.budgetFor(ids);
    for (let page = 1; ; page++) {
      const params: EcsParams = { RegionId: batch.regionId, ...query.params(ids), PageSize: IDS_PER_CALL, PageNumber: page };
      const response = await withRetries(() => call(params, budget), {
        kind: "read",
        paced: true,
        budget,
        policy: batch.policy,
        onRetry: (event) => this.logRetry(kind, batch, ids, event),
        onFailure: (error) => {
          batch.lastError = error;
          batch.attempts++;
        },
      });
      const fresh = query
        .rows(response)
        .map((row) => rowState(kind, row, batch.regionId))
        .filter((s) => wanted.has(s.id) && !states.has(s.id));
      fresh.forEach((state) => states.set(state.id, state));
      const total = Number(response.TotalCount);
      const morePromised = Number.isFinite(total) && page * IDS_PER_CALL < total;
      if (fresh.length === 0 || states.size === wanted.size || !morePromised || budget.remainingMs() <= 0) break;
    }
    // Absent ones too: a target that does not exist is an answer worth keeping.
    ids.forEach((id) => this.recentStates.remember(targetKey({ kind, regionId: batch.regionId, id }), states.get(id), batch.sentAt));
    return new Map(ids.map((id) => [id, { known: true, state: states.get(id) }]));
  }

  /**
   * Told to each resource still waiting for the call, about the target it asked for. Callers without a URN (the
   * provider driven from code) are not told: outside Pulumi nothing shows progress.
   */
  private logRetry(kind: TargetKind, batch: Batch, ids: string[], event: RetryEvent): void {
    const shared = ids.length > 1 ? ` (one call for ${ids.length} ${kind === "instance" ? "instances" : "network interfaces"})` : "";
    for (const { urn, id } of batch.resourcesWaiting(ids)) {
      this.log.info(retryMessage(`${batch.action} for ${describeTarget({ kind, regionId: batch.regionId, id })}${shared}`, event), urn);
    }
  }

  /** A call that waits for the account's quota is told once to each resource still waiting for it. */
  private logQuotaWait(batch: Batch, ids: string[], action: string, nextMinuteInMs: number): void {
    for (const { urn } of batch.resourcesWaiting(ids)) this.log.info(quotaWaitMessage(action, nextMinuteInMs), urn);
  }

  /**
   * One call, no retries: a listing only saves targeted reads, so when it fails (or shows only part of a large group)
   * the reads it could not answer fall back to them.
   */
  private async fetchListing(securityGroupId: string, batch: Batch, ids: string[], call: Parameters<Fetch>[2]): Promise<Map<string, Answer>> {
    const params: EcsParams = { RegionId: batch.regionId, SecurityGroupId: securityGroupId, PageSize: IDS_PER_CALL, PageNumber: 1 };
    let response: EcsResponse;
    try {
      response = await call(params, batch.budgetFor(ids));
    } catch {
      return new Map();
    }
    const states = QUERIES.instance.rows(response).map((row) => rowState("instance", row, batch.regionId));
    // Every row is remembered, whoever asked: it may answer the next membership of that instance.
    for (const state of states) this.recentStates.remember(targetKey(state), state, batch.sentAt);
    const complete = Number(response.TotalCount) <= states.length;
    const listing: Listing = { askedAt: batch.sentAt, members: new Set(states.map((s) => s.id)) };
    const groupKey = `${batch.regionId}|${securityGroupId}`;
    if (complete) this.listings.set(groupKey, listing);
    else this.largeGroups.set(groupKey, Date.now());
    const byId = new Map(states.map((s) => [s.id, s]));
    return new Map(
      ids.flatMap((id): [string, Answer][] => {
        if (byId.has(id)) return [[id, { known: true, state: byId.get(id) }]];
        const key = targetKey({ kind: "instance", regionId: batch.regionId, id });
        return complete && this.showsNotMember(listing, key, id) ? [[id, { known: true, state: undefined }]] : [];
      }),
    );
  }
}

function stopped(hold: Queue["hold"]): undefined {
  clearTimeout(hold?.timer);
  return undefined;
}

function answeredState(answer: Answer): TargetState | undefined {
  return answer.known ? answer.state : undefined;
}
