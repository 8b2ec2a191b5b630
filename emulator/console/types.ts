// What the console's server side sends its page. Types only, importing nothing: the page's script (browser/console.ts,
// compiled apart with the DOM library) uses them too.

/** A security group as the console shows it. */
export interface GroupRow {
  id: string;
  name: string;
  vpcId: string;
  type: string;
}

/** An instance or a secondary ENI, with the groups it is in. */
export interface TargetRow {
  id: string;
  kind: "instance" | "eni";
  vpcId: string;
  /** An instance's status; for an ENI, InUse (attached) or Available. */
  status: string;
  locked: boolean;
  groups: string[];
  name?: string;
  /** For an ENI, the instance it is attached to. */
  instanceId?: string;
  /** Epoch ms when a transitional status settles (the hub looks again then). */
  settlesAt?: number;
}

/** The world without its access keys: what the console may show. */
export interface WorldView {
  groups: GroupRow[];
  targets: TargetRow[];
  settings: Record<string, unknown>;
}

/** A change of the world since `version - 1`: targets changed or added, targets gone, and groups and settings when changed. */
export interface WorldDelta {
  version: number;
  upsert: TargetRow[];
  remove: string[];
  groups?: GroupRow[];
  settings?: WorldView["settings"];
}

/** One ECS API call as the console shows it: never a secret or a signature, and the key ID masked. */
export interface CallRecord {
  seq: number;
  /** Epoch ms when the request had been read. */
  at: number;
  action: string;
  target?: string;
  group?: string;
  /** The claimed access key ID, masked (`LTAI…ll01`). */
  keyId?: string;
  signatureMethod?: string;
  /** HTTP status; null when the connection was dropped without an answer. */
  status: number | null;
  /** `OK`, the ECS error code, `HTTP 502` for an answer without one, or `dropped`. */
  code: string;
  latencyMs: number;
  /** The fault rules that fired, as `#2 throttling`. */
  faults?: string[];
  /** The flow-control quota that refused the call (Throttling.User), as `quota 100 per 60000 ms`. */
  quota?: string;
  throttled: boolean;
  conflict: boolean;
}

export interface ActionCounters {
  calls: number;
  errors: number;
  throttled: number;
}
