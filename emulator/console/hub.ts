import type { ServerResponse } from "node:http";
import type { World } from "../models";
import type { FaultInjector, FaultSettings } from "../faults/fault-injector";
import type { RequestLog } from "./request-log";
import type { ActionCounters, CallRecord, WorldDelta, WorldView } from "./types";
import { worldView } from "./world-view";

/** Everything the page shows, as it stands: sent first on every event stream. */
export interface ConsoleSnapshot {
  version: number;
  world: WorldView;
  calls: CallRecord[];
  counters: Record<string, ActionCounters>;
  faults: FaultSettings;
  /** The ECS actions the emulator knows: what a quota may be set on. */
  actions: string[];
  /** The event streams open now: how many, how many are dropping events (their reader is behind), bytes waiting. */
  streams: { watching: number; dropping: number; bufferedBytes: number };
}

export interface HubOptions {
  /** Bytes a page's stream may have waiting to be sent before events for it are dropped (it is then told it missed some). */
  maxBufferedBytes?: number;
  /** How long changes are gathered into one event. */
  flushMs?: number;
}

interface Client {
  res: ServerResponse;
  dropping: boolean;
}

const DEFAULT_MAX_BUFFERED = 256 * 1024;
const DEFAULT_FLUSH_MS = 50;
/** Calls sent per flush at most; the page keeps its own bounded log, so more would only be dropped there. */
const MAX_CALLS_PER_FLUSH = 200;
const KEEPALIVE_MS = 20_000;

/**
 * The console's server-sent events. Cheap when watched: changes are gathered for `flushMs`, calls sent in batches, the
 * world as deltas against what the pages were last sent. Free when not: with no page attached, nothing is computed or
 * kept beyond the request log. A page that does not read its stream costs at most `maxBufferedBytes` (plus one event):
 * events for it are dropped, and once it reads again it gets `missed` and the stream ends, so it reloads the world.
 */
export class ConsoleHub {
  private readonly clients = new Set<Client>();
  private version = 0;
  /** The rows the pages were last sent, as JSON, by target ID; empty while no page watches. */
  private sent = new Map<string, string>();
  private sentGroups = "";
  private sentSettings = "";
  private calls: CallRecord[] = [];
  private worldDirty = false;
  private faultsDirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly maxBuffered: number;
  private readonly flushMs: number;

  constructor(
    private readonly world: World,
    private readonly faults: FaultInjector,
    private readonly log: RequestLog,
    options: HubOptions = {},
  ) {
    this.maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    log.onRecord = (call) => this.callRecorded(call);
  }

  /** Everything as it stands. */
  snapshot(world = worldView(this.world)): ConsoleSnapshot {
    const clients = [...this.clients];
    return {
      version: this.version,
      world,
      calls: this.log.recent(),
      counters: this.log.countersByAction(),
      faults: this.faults.settings(),
      actions: Object.keys(this.world.actions).sort(),
      streams: {
        watching: clients.length,
        dropping: clients.filter((client) => client.dropping).length,
        bufferedBytes: clients.reduce((sum, client) => sum + client.res.writableLength, 0),
      },
    };
  }

  /** Makes `res` an event stream: the snapshot first, then changes as they happen. */
  attach(res: ServerResponse): void {
    // The pages already watching get what is pending first: the snapshot becomes what later deltas are computed against.
    if (this.clients.size > 0) this.flush();
    const client: Client = { res, dropping: false };
    this.clients.add(client);
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.write(event("snapshot", JSON.stringify(this.snapshot(this.remember(worldView(this.world))))));
    res.on("close", () => this.detach(client));
    this.keepAlive ??= setInterval(() => this.broadcast(": keep-alive\n\n"), KEEPALIVE_MS).unref();
  }

  worldChanged(): void {
    this.worldDirty = true;
    this.schedule();
  }

  faultsChanged(): void {
    this.faultsDirty = true;
    this.schedule();
  }

  close(): void {
    for (const timer of [this.flushTimer, this.settleTimer]) clearTimeout(timer);
    clearInterval(this.keepAlive);
    for (const client of this.clients) client.res.destroy();
    this.clients.clear();
  }

  private callRecorded(call: CallRecord): void {
    if (this.clients.size === 0) return;
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS_PER_FLUSH) this.calls.shift();
    if (call.faults) this.faultsDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.clients.size === 0 || this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.flushMs).unref();
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.worldDirty) {
      this.worldDirty = false;
      const delta = this.delta(worldView(this.world));
      if (delta) this.broadcast(event("world", JSON.stringify(delta)));
    }
    if (this.calls.length > 0) {
      const calls = this.calls;
      this.calls = [];
      this.broadcast(event("calls", JSON.stringify({ calls, counters: this.log.countersByAction() })));
    }
    if (this.faultsDirty) {
      this.faultsDirty = false;
      this.broadcast(event("faults", JSON.stringify(this.faults.settings())));
    }
  }

  /** What changed since the pages were last sent the world; undefined when nothing did. */
  private delta(view: WorldView): WorldDelta | undefined {
    const before = this.sent;
    const groups = JSON.stringify(view.groups);
    const settings = JSON.stringify(view.settings);
    const delta: WorldDelta = { version: this.version + 1, upsert: [], remove: [] };
    for (const row of view.targets) if (before.get(row.id) !== JSON.stringify(row)) delta.upsert.push(row);
    const now = new Set(view.targets.map((row) => row.id));
    for (const id of before.keys()) if (!now.has(id)) delta.remove.push(id);
    if (groups !== this.sentGroups) delta.groups = view.groups;
    if (settings !== this.sentSettings) delta.settings = view.settings;
    this.remember(view);
    if (delta.upsert.length + delta.remove.length === 0 && !delta.groups && !delta.settings) return undefined;
    this.version = delta.version;
    return delta;
  }

  private remember(view: WorldView): WorldView {
    this.sent = new Map(view.targets.map((row) => [row.id, JSON.stringify(row)]));
    this.sentGroups = JSON.stringify(view.groups);
    this.sentSettings = JSON.stringify(view.settings);
    this.watchTransitions(view);
    return view;
  }

  /** Statuses settle lazily, when someone looks: the hub looks when the next one is due, so the pages see it. */
  private watchTransitions(view: WorldView): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    const due = Math.min(...view.targets.map((row) => row.settlesAt ?? Infinity));
    const wait = due - Date.now();
    if (this.clients.size === 0 || !Number.isFinite(wait) || wait < 0) return;
    this.settleTimer = setTimeout(() => this.worldChanged(), Math.min(wait + 5, 2 ** 31 - 1)).unref();
  }

  private broadcast(text: string): void {
    for (const client of this.clients) this.send(client, text);
  }

  private send(client: Client, text: string): void {
    if (client.dropping) return;
    const { res } = client;
    if (res.writableLength > this.maxBuffered) {
      client.dropping = true;
      res.once("drain", () => res.end(event("missed", "{}")));
      return;
    }
    res.write(text);
  }

  private detach(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size > 0) return;
    clearInterval(this.keepAlive);
    clearTimeout(this.settleTimer);
    this.keepAlive = this.settleTimer = undefined;
    this.sent = new Map();
    this.calls = [];
  }
}

function event(name: string, data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}
