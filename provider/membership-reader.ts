/**
 * Reads targets' live group lists, coalescing concurrent reads without a timer (Nagle-style, like DataLoader-type
 * batchers): per region and kind, a read goes out at once when no Describe call of that queue is in flight; reads that
 * arrive meanwhile wait and go out together when it returns, one DescribeInstances per 100 distinct instances
 * (InstanceIds as a JSON array) or one DescribeNetworkInterfaces per 100 ENIs. A lone read pays no wait, and a large
 * refresh costs few calls however the engine paces its reads.
 */
import type { EcsClient, EcsParams, EcsResponse } from "./ecs-client";
import type { Target, TargetKind } from "./inputs";
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
}

/** One per region and kind: the batch being described, if any, and the reads gathered behind it. */
interface Queue {
  inFlight: boolean;
  waiting?: Batch;
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

  // Fields are set in the constructor, not by initializers: Pulumi's closure serializer keeps only the constructor.
  constructor(
    private readonly client: EcsClient,
    private readonly onRetry: (action: string, event: RetryEvent) => void = () => undefined,
  ) {
    this.queues = new Map();
  }

  /** The target as ECS reports it now; undefined when it does not exist. */
  read(target: Target, deadline: Deadline, policy: BackoffPolicy): Promise<TargetState | undefined> {
    const queue = this.queueOf(`${target.kind}|${target.regionId}`);
    const { kind, regionId } = target;
    const batch = (queue.waiting ??= { kind, regionId, waiters: new Map(), endsAt: deadline.endsAt, policy });
    batch.endsAt = Math.max(batch.endsAt, deadline.endsAt);
    const waiters = batch.waiters.get(target.id) ?? [];
    batch.waiters.set(target.id, waiters);
    const state = new Promise<TargetState | undefined>((resolve, reject) => waiters.push({ resolve, reject }));
    if (!queue.inFlight) this.send(queue);
    return state;
  }

  private queueOf(key: string): Queue {
    const queue = this.queues.get(key) ?? { inFlight: false };
    this.queues.set(key, queue);
    return queue;
  }

  /** Describes the waiting batch, then whatever gathered behind it, until nothing waits. */
  private send(queue: Queue): void {
    const batch = queue.waiting;
    queue.inFlight = batch !== undefined;
    if (!batch) return;
    queue.waiting = undefined;
    const ids = [...batch.waiters.keys()];
    const deadline = Deadline.after(Math.max(0, batch.endsAt - Date.now()));
    const chunks: Promise<void>[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) chunks.push(this.settle(batch, ids.slice(i, i + IDS_PER_CALL), deadline));
    void Promise.all(chunks).then(() => this.send(queue));
  }

  /** Never rejects: a failed call fails its chunk's reads, and the queue moves on. */
  private settle(batch: Batch, chunk: string[], deadline: Deadline): Promise<void> {
    return this.fetch(batch, chunk, deadline).then(
      (states) => chunk.forEach((id) => batch.waiters.get(id)?.forEach((w) => w.resolve(states.get(id)))),
      (err) => chunk.forEach((id) => batch.waiters.get(id)?.forEach((w) => w.reject(err))),
    );
  }

  private async fetch(batch: Batch, ids: string[], deadline: Deadline): Promise<Map<string, TargetState>> {
    const query = QUERIES[batch.kind];
    const states = new Map<string, TargetState>();
    for (let page = 1; ; page++) {
      const params: EcsParams = { RegionId: batch.regionId, ...query.params(ids), PageSize: IDS_PER_CALL, PageNumber: page };
      const response = await withRetries(() => this.client.call(query.action, params, deadline.requestTimeoutMs()), {
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
}
