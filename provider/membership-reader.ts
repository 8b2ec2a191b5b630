/**
 * Reads targets' live group lists, coalescing concurrent reads: everything asked for in the same short window costs one
 * DescribeInstances per 100 distinct instances per region (InstanceIds as a JSON array), and one
 * DescribeNetworkInterfaces per 100 ENIs, instead of one call per resource during a large refresh.
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
const BATCH_WINDOW_MS = 5;

interface Waiter {
  resolve(state: TargetState | undefined): void;
  reject(err: unknown): void;
}

interface Batch {
  kind: TargetKind;
  regionId: string;
  waiters: Map<string, Waiter[]>;
  endsAt: number;
  /** The first caller's; callers of one process share one policy outside tests. */
  policy: BackoffPolicy;
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
  private readonly pending: Map<string, Batch>;

  // Fields are set in the constructor, not by initializers: Pulumi's closure serializer keeps only the constructor.
  constructor(
    private readonly client: EcsClient,
    private readonly onRetry: (action: string, event: RetryEvent) => void = () => undefined,
  ) {
    this.pending = new Map();
  }

  /** The target as ECS reports it now; undefined when it does not exist. */
  read(target: Target, deadline: Deadline, policy: BackoffPolicy): Promise<TargetState | undefined> {
    const key = `${target.kind}|${target.regionId}`;
    let batch = this.pending.get(key);
    if (!batch) {
      batch = { kind: target.kind, regionId: target.regionId, waiters: new Map(), endsAt: deadline.endsAt, policy };
      this.pending.set(key, batch);
      const scheduled = batch;
      setTimeout(() => this.flush(key, scheduled), BATCH_WINDOW_MS);
    }
    batch.endsAt = Math.max(batch.endsAt, deadline.endsAt);
    const waiters = batch.waiters.get(target.id) ?? [];
    batch.waiters.set(target.id, waiters);
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  private flush(key: string, batch: Batch): void {
    if (this.pending.get(key) === batch) this.pending.delete(key);
    const ids = [...batch.waiters.keys()];
    const deadline = Deadline.after(Math.max(0, batch.endsAt - Date.now()));
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
      const chunk = ids.slice(i, i + IDS_PER_CALL);
      this.fetch(batch, chunk, deadline).then(
        (states) => chunk.forEach((id) => batch.waiters.get(id)?.forEach((w) => w.resolve(states.get(id)))),
        (err) => chunk.forEach((id) => batch.waiters.get(id)?.forEach((w) => w.reject(err))),
      );
    }
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
