/**
 * Reads targets' live group lists, coalescing concurrent reads without a time window (Nagle-style, like DataLoader-type
 * batchers): per region and kind, reads go out when no Describe request of that queue is on the wire; reads that arrive
 * while one is wait and go out together when it returns, one DescribeInstances per 100 distinct instances (InstanceIds
 * as a JSON array) or one DescribeNetworkInterfaces per 100 ENIs, chunks in parallel. A lone read waits for nothing,
 * and a large refresh costs few calls however the engine paces its reads. Read and diff may instead take a state asked
 * for in the last couple of seconds (recent-states.ts) or wait for the answer of a call already sent for their target.
 */
import type { EcsClient, EcsParams, EcsResponse } from "./ecs-client";
import type { Target, TargetKind } from "./inputs";
import { RecentStates } from "./recent-states";
import { BackoffPolicy, Deadline, RetryEvent, withRetries } from "./retry";

export interface TargetState {
  kind: TargetKind;
  id: string;
  regionId: string;
  /** Instance: Pending, Starting, Running, Stopping, Stopped. ENI: Available, InUse, Attaching, ... */
  status: string;
  securityGroupIds: string[];
}

/** ECS accepts at most 100 IDs per Describe* call. */
export const IDS_PER_CALL = 100;

interface Waiter {
  resolve(state: TargetState | undefined): void;
  reject(err: unknown): void;
}

interface Batch {
  kind: TargetKind;
  regionId: string;
  /** By target ID, so an ID asked for twice is described once. */
  waiters: Map<string, Waiter[]>;
  /** The latest of its callers' deadlines, so no caller's read is cut short by another's. */
  endsAt: number;
  /** The first caller's; callers of one process share one policy outside tests. */
  policy: BackoffPolicy;
  /** When it was sent: the age of what it returns. */
  sentAt?: number;
}

/** One per region and kind: the ECS requests of its batches on the wire now, and the reads gathered behind them. */
interface Queue {
  requestsInFlight: number;
  waiting?: Batch;
  sendScheduled: boolean;
  /** Sent batches not yet answered, by target ID: a read or diff may wait for one instead of asking again. */
  sent: Map<string, Batch>;
}

type Row = Record<string, unknown>;

function wrappedList(container: unknown, key: string): Row[] {
  const inner = (container as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as Row[]) : [];
}

function groupIds(row: Row): string[] {
  return wrappedList(row.SecurityGroupIds, "SecurityGroupId").map(String);
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

function stateOf(kind: TargetKind, row: Row, regionId: string): TargetState {
  return { kind, id: String(row[QUERIES[kind].idField]), regionId, status: String(row.Status), securityGroupIds: groupIds(row) };
}

export class MembershipReader {
  private readonly queues: Map<string, Queue>;
  private readonly recentStates: RecentStates;

  // Fields are set in the constructor, not by initializers: Pulumi's closure serializer keeps only the constructor.
  constructor(
    private readonly client: EcsClient,
    private readonly onRetry: (action: string, event: RetryEvent) => void,
  ) {
    this.queues = new Map();
    this.recentStates = new RecentStates();
  }

  /**
   * For operations that only look (read, diff): a state asked for within `maxAgeMs`, or the answer of a call already
   * sent for the target, before asking ECS again.
   */
  readRecent(target: Target, maxAgeMs: number, deadline: Deadline, policy: BackoffPolicy): Promise<TargetState | undefined> {
    const recent = this.recentStates.recent(this.stateKey(target, target.id), maxAgeMs);
    if (recent) return Promise.resolve(recent.state);
    const sent = this.queueOf(this.queueKey(target)).sent.get(target.id);
    if (!sent || Date.now() - sent.sentAt! >= maxAgeMs) return this.read(target, deadline, policy);
    return new Promise((resolve, reject) => sent.waiters.get(target.id)!.push({ resolve, reject }));
  }

  /** Called before and after every Join or Leave: reads that looked before it may not serve anyone after it. */
  forget(target: Target): void {
    this.recentStates.forget(this.stateKey(target, target.id));
    this.queueOf(this.queueKey(target)).sent.delete(target.id);
  }

  /** The target as ECS reports it now; undefined when it does not exist. */
  read(target: Target, deadline: Deadline, policy: BackoffPolicy): Promise<TargetState | undefined> {
    const queue = this.queueOf(this.queueKey(target));
    const { kind, regionId } = target;
    const batch = (queue.waiting ??= { kind, regionId, waiters: new Map(), endsAt: deadline.endsAt, policy });
    batch.endsAt = Math.max(batch.endsAt, deadline.endsAt);
    const waiters = batch.waiters.get(target.id) ?? [];
    batch.waiters.set(target.id, waiters);
    const state = new Promise<TargetState | undefined>((resolve, reject) => waiters.push({ resolve, reject }));
    if (queue.requestsInFlight === 0) this.scheduleSend(queue);
    return state;
  }

  private queueKey(where: Pick<Target, "kind" | "regionId">): string {
    return `${where.kind}|${where.regionId}`;
  }

  private stateKey(where: Pick<Target, "kind" | "regionId">, id: string): string {
    return `${this.queueKey(where)}|${id}`;
  }

  private queueOf(key: string): Queue {
    const queue = this.queues.get(key) ?? { requestsInFlight: 0, sendScheduled: false, sent: new Map() };
    this.queues.set(key, queue);
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
      if (queue.requestsInFlight === 0) this.send(queue);
    });
  }

  private send(queue: Queue): void {
    const batch = queue.waiting;
    if (!batch) return;
    queue.waiting = undefined;
    batch.sentAt = Date.now();
    const ids = [...batch.waiters.keys()];
    ids.forEach((id) => queue.sent.set(id, batch));
    const deadline = Deadline.after(Math.max(0, batch.endsAt - Date.now()));
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) this.settle(queue, batch, ids.slice(i, i + IDS_PER_CALL), deadline);
  }

  /** A failed call fails only its own chunk's reads. Every answer is remembered, whoever asked. */
  private settle(queue: Queue, batch: Batch, chunk: string[], deadline: Deadline): void {
    const answered = () => chunk.forEach((id) => queue.sent.get(id) === batch && queue.sent.delete(id));
    void this.fetch(queue, batch, chunk, deadline).then(
      (states) => {
        answered();
        for (const id of chunk) {
          this.recentStates.remember(this.stateKey(batch, id), states.get(id), batch.sentAt!);
          batch.waiters.get(id)?.forEach((w) => w.resolve(states.get(id)));
        }
      },
      (err) => {
        answered();
        chunk.forEach((id) => batch.waiters.get(id)?.forEach((w) => w.reject(err)));
      },
    );
  }

  private async fetch(queue: Queue, batch: Batch, ids: string[], deadline: Deadline): Promise<Map<string, TargetState>> {
    const query = QUERIES[batch.kind];
    const states = new Map<string, TargetState>();
    for (let page = 1; ; page++) {
      const params: EcsParams = { RegionId: batch.regionId, ...query.params(ids), PageSize: IDS_PER_CALL, PageNumber: page };
      const response = await withRetries(() => this.request(queue, query.action, params, deadline), {
        kind: "read",
        deadline,
        policy: batch.policy,
        onRetry: (event) => this.onRetry(query.action, event),
      });
      const rows = query.rows(response);
      for (const row of rows) {
        const state = stateOf(batch.kind, row, batch.regionId);
        states.set(state.id, state);
      }
      const total = Number(response.TotalCount ?? rows.length);
      if (rows.length === 0 || page * IDS_PER_CALL >= total) return states;
    }
  }

  /**
   * Only requests on the wire hold the reads behind them back: a batch sleeping out a retry's backoff does not, so a
   * throttled call never stalls the reads that come after it.
   */
  private async request(queue: Queue, action: string, params: EcsParams, deadline: Deadline): Promise<EcsResponse> {
    queue.requestsInFlight++;
    try {
      return await this.client.call(action, params, deadline.requestTimeoutMs());
    } finally {
      queue.requestsInFlight--;
      if (queue.requestsInFlight === 0 && queue.waiting) this.scheduleSend(queue);
    }
  }
}
