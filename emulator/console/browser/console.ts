// The console's page script (compiled on its own, with the DOM library, by emulator/console/browser/tsconfig.json).
// It reads the emulator through one server-sent event stream and changes it through the admin API; text from the
// emulator only ever goes into textContent, never into markup.

import type { ActionCounters as Counters, CallRecord, GroupRow, TargetRow, WorldDelta, WorldView } from "../types";

type Rule = Record<string, string | number | undefined>;
interface FaultSettings {
  rules: Rule[];
  rngSeed: number;
}

interface Snapshot {
  world: WorldView;
  calls: CallRecord[];
  counters: Record<string, Counters>;
  faults: FaultSettings;
  actions: string[];
}
const PAGE_SIZE = 50;
const LOG_SIZE = 500;
const LOG_SHOWN = 200;

const state = {
  groups: [] as GroupRow[],
  targets: new Map<string, TargetRow>(),
  settings: {} as Record<string, unknown>,
  calls: [] as CallRecord[],
  counters: {} as Record<string, Counters>,
  rules: [] as Rule[],
  actions: [] as string[],
  page: 0,
};

const token = readToken();

/** The admin token, from the address's fragment (`#token=…`, which the browser never sends), kept for the tab. */
function readToken(): string | undefined {
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
  if (fromHash !== undefined) {
    sessionStorage.setItem("ecs-emulator-token", decodeURIComponent(fromHash));
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("ecs-emulator-token") ?? undefined;
}

// A token typed into the address of the open page: start again with it.
addEventListener("hashchange", () => {
  if (/(?:^#|&)token=/.test(location.hash)) {
    readToken();
    location.reload();
  }
});

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function el(tag: string, text?: string, attrs: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function row(cells: (string | number | HTMLElement)[], rowHeader = false): HTMLTableRowElement {
  const tr = document.createElement("tr");
  cells.forEach((cell, i) => {
    const td = el(rowHeader && i === 0 ? "th" : "td", typeof cell === "object" ? undefined : String(cell));
    if (rowHeader && i === 0) td.setAttribute("scope", "row");
    if (typeof cell === "object") td.append(cell);
    tr.append(td);
  });
  return tr;
}

/** `key` names the button's place (a cell, an instance's action), so focus stays there when the matrix is drawn again. */
function button(text: string, label: string, key: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el("button", text, { type: "button", "aria-label": label, title: label, "data-key": key }) as HTMLButtonElement;
  b.disabled = disabled;
  b.addEventListener("click", onClick);
  return b;
}

// ---- talking to the emulator ----

function headers(json: boolean): Record<string, string> {
  const h: Record<string, string> = {};
  if (json) h["content-type"] = "application/json";
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  return h;
}

async function admin(method: string, path: string, body?: unknown): Promise<void> {
  const message = byId("message");
  message.textContent = "";
  const response = await fetch(`/_emulator/${path}`, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((error: Error) => error);
  if (response instanceof Error) {
    message.textContent = `${method} ${path}: ${response.message}`;
  } else if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { message?: string };
    message.textContent = `${method} ${path}: ${response.status} ${answer.message ?? response.statusText}`;
  }
}

function patchTarget(target: TargetRow, fields: Record<string, unknown>): Promise<void> {
  const upsert =
    target.kind === "instance"
      ? { instances: [{ instanceId: target.id, ...fields }] }
      : { networkInterfaces: [{ networkInterfaceId: target.id, ...fields }] };
  return admin("POST", "world", { upsert });
}

let retryMs = 250;
/** When the emulator last dropped events for this tab (it fell behind reading them), to say so once it has reloaded. */
let missedAt: Date | undefined;

async function follow(): Promise<void> {
  const connection = byId("connection");
  try {
    const response = await fetch("/_emulator/console/events", { headers: headers(false), cache: "no-store" });
    if (!response.ok || !response.body) throw new Error(`${response.status} ${response.statusText}`);
    connection.textContent =
      missedAt === undefined ? "live" : `live; this tab fell behind and missed events at ${missedAt.toLocaleTimeString()}, so the world was reloaded`;
    retryMs = 250;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        handleEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
    connection.textContent = "reloading…";
  } catch (error) {
    connection.textContent = `disconnected (${(error as Error).message}); retrying…`;
    retryMs = Math.min(retryMs * 2, 5000);
  }
  setTimeout(() => void follow(), retryMs);
}

function handleEvent(text: string): void {
  let name = "message";
  let data = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("event: ")) name = line.slice(7);
    else if (line.startsWith("data: ")) data += line.slice(6);
  }
  if (data === "") return;
  const value: unknown = JSON.parse(data);
  if (name === "snapshot") applySnapshot(value as Snapshot);
  else if (name === "world") applyDelta(value as WorldDelta);
  else if (name === "calls") addCalls(value as { calls: CallRecord[]; counters: Record<string, Counters> });
  else if (name === "missed") missedAt = new Date();
  else if (name === "faults") {
    state.rules = (value as FaultSettings).rules;
    renderFaults();
  }
}

function applySnapshot(snapshot: Snapshot): void {
  state.groups = snapshot.world.groups;
  state.targets = new Map(snapshot.world.targets.map((t) => [t.id, t]));
  state.settings = snapshot.world.settings;
  state.calls = snapshot.calls.slice(-LOG_SIZE);
  state.counters = snapshot.counters;
  state.rules = snapshot.faults.rules;
  state.actions = snapshot.actions;
  renderWorld();
  renderCalls();
  renderFaults();
}

function applyDelta(delta: WorldDelta): void {
  for (const id of delta.remove) state.targets.delete(id);
  for (const target of delta.upsert) state.targets.set(target.id, target);
  if (delta.groups) state.groups = delta.groups;
  if (delta.settings) {
    state.settings = delta.settings;
    renderFaults();
  }
  renderWorld();
}

function addCalls({ calls, counters }: { calls: CallRecord[]; counters: Record<string, Counters> }): void {
  state.calls.push(...calls);
  if (state.calls.length > LOG_SIZE) state.calls.splice(0, state.calls.length - LOG_SIZE);
  state.counters = counters;
  renderCalls();
}

// ---- the world ----

function filterText(): string {
  return byId<HTMLInputElement>("filter").value.trim().toLowerCase();
}

function renderWorld(): void {
  const filter = filterText();
  const matchingGroups = filter === "" ? [] : state.groups.filter((g) => g.id.toLowerCase().includes(filter));
  const columns = matchingGroups.length > 0 ? matchingGroups : state.groups;
  const columnIds = new Set(matchingGroups.map((g) => g.id));
  const rows = [...state.targets.values()].filter(
    (t) =>
      filter === "" ||
      [t.id, t.vpcId, t.instanceId ?? "", t.name ?? ""].some((text) => text.toLowerCase().includes(filter)) ||
      t.groups.some((g) => columnIds.has(g)),
  );
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  state.page = Math.min(state.page, pages - 1);
  const shown = rows.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);

  const head = document.createElement("tr");
  for (const title of ["Target", "Kind", "Status", "Locked", "VPC", "Change"]) head.append(el("th", title, { scope: "col" }));
  for (const group of columns) head.append(el("th", group.id, { scope: "col", title: `${group.name} (${group.vpcId})` }));
  const table = byId<HTMLTableElement>("matrix");
  const focused = table.contains(document.activeElement) ? document.activeElement?.getAttribute("data-key") : null;
  table.tHead!.replaceChildren(head);
  table.tBodies[0]!.replaceChildren(...shown.map((target) => targetRow(target, columns)));
  if (focused) [...table.querySelectorAll<HTMLElement>("[data-key]")].find((b) => b.dataset.key === focused)?.focus();

  byId("page-info").textContent = `page ${state.page + 1} of ${pages} (${rows.length} of ${state.targets.size} targets)`;
  byId<HTMLButtonElement>("prev-page").disabled = state.page === 0;
  byId<HTMLButtonElement>("next-page").disabled = state.page >= pages - 1;
  byId("world-summary").textContent = `${state.targets.size} targets, ${state.groups.length} groups`;
  renderGroups(filter);
}

function targetRow(target: TargetRow, columns: GroupRow[]): HTMLTableRowElement {
  const change = document.createElement("span");
  if (target.kind === "instance") {
    const running = target.status === "Running";
    change.append(
      button(
        running ? "Stop" : "Start",
        `${running ? "Stop" : "Start"} ${target.id}`,
        `${target.id} status`,
        () => {
          void patchTarget(target, { status: running ? "Stopping" : "Starting" });
        },
        !running && target.status !== "Stopped",
      ),
      " ",
      button(target.locked ? "Unlock" : "Lock", `${target.locked ? "Unlock" : "Lock"} ${target.id}`, `${target.id} lock`, () => {
        void patchTarget(target, { locked: !target.locked });
      }),
    );
  }
  const status = el("span", target.status, { class: `status-${target.status}` });
  const tr = row(
    [
      target.id,
      target.kind === "instance" ? "instance" : `ENI${target.instanceId ? ` of ${target.instanceId}` : ""}`,
      status,
      target.locked ? "locked" : "",
      target.vpcId,
      change,
    ],
    true,
  );
  for (const group of columns) tr.append(membershipCell(target, group));
  return tr;
}

function membershipCell(target: TargetRow, group: GroupRow): HTMLTableCellElement {
  const td = document.createElement("td");
  const member = target.groups.includes(group.id);
  if (!member && group.vpcId !== target.vpcId) {
    td.className = "cell elsewhere";
    td.textContent = "–";
    td.title = `${group.id} is in another VPC`;
    return td;
  }
  td.className = member ? "cell member" : "cell";
  const label = member ? `Remove ${target.id} from ${group.id}` : `Add ${target.id} to ${group.id}`;
  const groups = member ? target.groups.filter((g) => g !== group.id) : [...target.groups, group.id];
  td.append(button(member ? "✓" : "·", label, `${target.id} ${group.id}`, () => void patchTarget(target, { securityGroupIds: groups })));
  return td;
}

function renderGroups(filter: string): void {
  const members = new Map<string, number>();
  for (const target of state.targets.values()) for (const g of target.groups) members.set(g, (members.get(g) ?? 0) + 1);
  const groups = state.groups.filter((g) => filter === "" || [g.id, g.name, g.vpcId].some((t) => t.toLowerCase().includes(filter)));
  byId<HTMLTableElement>("groups").tBodies[0]!.replaceChildren(
    ...groups.map((g) => row([g.id, g.name, g.vpcId, g.type, members.get(g.id) ?? 0], true)),
  );
}

// ---- requests ----

function outcomeOf(call: CallRecord): string[] {
  const outcomes = [call.code === "OK" ? "ok" : "error"];
  if (call.faults?.some((f) => !f.endsWith(" latency")) || call.status === null) outcomes.push("fault");
  if (call.throttled) outcomes.push("throttled");
  if (call.quota !== undefined) outcomes.push("quota");
  if (call.conflict) outcomes.push("conflict");
  return outcomes;
}

function renderCalls(): void {
  const actionSelect = byId<HTMLSelectElement>("action-filter");
  const known = new Set([...actionSelect.options].map((o) => o.value));
  for (const action of Object.keys(state.counters).sort()) if (!known.has(action)) actionSelect.append(el("option", action, { value: action }));
  const action = actionSelect.value;
  const outcome = byId<HTMLSelectElement>("outcome-filter").value;
  const calls = state.calls.filter((c) => (action === "" || c.action === action) && (outcome === "" || outcomeOf(c).includes(outcome)));
  const rows = calls
    .slice(-LOG_SHOWN)
    .reverse()
    .map((c) => {
      const tr = row([
        new Date(c.at).toISOString().slice(11, 23),
        c.action,
        c.target ?? "",
        c.group ?? "",
        c.keyId ?? "",
        c.signatureMethod ?? "",
        [c.code, c.throttled ? "(throttled)" : "", c.conflict ? "(conflict)" : ""].filter(Boolean).join(" "),
        c.status ?? "dropped",
        c.latencyMs,
        [...(c.faults ?? []), c.quota ?? ""].filter(Boolean).join(", "),
      ]);
      tr.className = c.faults || c.quota !== undefined ? "faulted" : c.code === "OK" ? "" : "failed";
      return tr;
    });
  byId<HTMLTableElement>("log").tBodies[0]!.replaceChildren(...rows);
  const counters = Object.entries(state.counters).sort(([a], [b]) => a.localeCompare(b));
  byId<HTMLTableElement>("counters").tBodies[0]!.replaceChildren(...counters.map(([name, c]) => row([name, c.calls, c.errors, c.throttled], true)));
}

// ---- faults and quotas ----

const RULE_FIELDS = ["action", "kind", "code", "probability", "times", "target", "latencyMs"];

/** Settings shown and changed as quotas, not in the list of world settings. */
const QUOTA_SETTINGS = ["flowControl", "flowControlWindowMs"];

function renderFaults(): void {
  const rules = byId<HTMLTableElement>("rules");
  rules.hidden = state.rules.length === 0;
  rules.tBodies[0]!.replaceChildren(
    ...state.rules.map((rule, i) => row([`#${i + 1}`, ...RULE_FIELDS.map((field) => (rule[field] === undefined ? "" : String(rule[field])))], true)),
  );
  byId("rules-summary").textContent = state.rules.length === 0 ? "No fault rules in force: every call is answered as ECS would answer it." : "";
  renderQuotas();
  const settings = byId("settings");
  settings.replaceChildren();
  for (const [name, value] of Object.entries(state.settings)) {
    if (!QUOTA_SETTINGS.includes(name)) settings.append(el("dt", name), el("dd", settingText(value)));
  }
}

function settingText(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  const entries = Object.entries(value);
  return entries.length === 0 ? "none" : entries.map(([key, v]) => `${key} ${String(v)}`).join(", ");
}

function quotas(): Record<string, number> {
  return (state.settings.flowControl ?? {}) as Record<string, number>;
}

function renderQuotas(): void {
  const inForce = Object.entries(quotas()).sort(([a], [b]) => a.localeCompare(b));
  const windowMs = String(state.settings.flowControlWindowMs);
  byId("quota-summary").textContent =
    inForce.length === 0
      ? `No quotas set: flow control refuses no call. Window ${windowMs} ms.`
      : `${inForce.length} ${inForce.length === 1 ? "quota" : "quotas"} in force, per window of ${windowMs} ms: an account's calls ` +
        "of an action in a region beyond its quota are refused with Throttling.User until the next window.";
  const table = byId<HTMLTableElement>("quotas");
  table.hidden = inForce.length === 0;
  table.tBodies[0]!.replaceChildren(
    ...inForce.map(([action, calls]) =>
      row(
        [action, calls, button("Remove", `Remove the quota on ${action}`, `quota ${action}`, () => void setQuotas(without(quotas(), action)))],
        true,
      ),
    ),
  );
  byId<HTMLInputElement>("quota-window").placeholder = windowMs;
  const select = byId<HTMLSelectElement>("quota-action");
  if (select.options.length !== state.actions.length)
    select.replaceChildren(...state.actions.map((action) => el("option", action, { value: action })));
}

function without(table: Record<string, number>, action: string): Record<string, number> {
  return Object.fromEntries(Object.entries(table).filter(([name]) => name !== action));
}

function setQuotas(flowControl: Record<string, number>, flowControlWindowMs?: number): Promise<void> {
  return admin("PUT", "flow-control", { flowControl, ...(flowControlWindowMs === undefined ? {} : { flowControlWindowMs }) });
}

function quotaFromForm(form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const windowMs = String(data.get("windowMs")).trim();
  const flowControl = { ...quotas(), [String(data.get("action"))]: Number(data.get("calls")) };
  return setQuotas(flowControl, windowMs === "" ? undefined : Number(windowMs));
}

function ruleFromForm(form: HTMLFormElement): Rule {
  const rule: Rule = {};
  for (const [name, value] of new FormData(form)) {
    const text = String(value).trim();
    if (text === "") continue;
    rule[name] = ["probability", "times", "latencyMs", "applyAfterMs"].includes(name) ? Number(text) : text;
  }
  return rule;
}

// ---- wiring ----

function start(): void {
  const rerender = () => {
    state.page = 0;
    renderWorld();
  };
  byId("filter").addEventListener("input", rerender);
  byId("prev-page").addEventListener("click", () => {
    state.page -= 1;
    renderWorld();
  });
  byId("next-page").addEventListener("click", () => {
    state.page += 1;
    renderWorld();
  });
  byId("action-filter").addEventListener("change", renderCalls);
  byId("outcome-filter").addEventListener("change", renderCalls);
  byId<HTMLFormElement>("add-rule").addEventListener("submit", (event) => {
    event.preventDefault();
    void admin("PUT", "faults", { rules: [...state.rules, ruleFromForm(event.target as HTMLFormElement)] });
  });
  byId("clear-rules").addEventListener("click", () => void admin("DELETE", "faults"));
  byId<HTMLFormElement>("set-quota").addEventListener("submit", (event) => {
    event.preventDefault();
    void quotaFromForm(event.target as HTMLFormElement);
  });
  byId("clear-quotas").addEventListener("click", () => void setQuotas({}));
  void follow();
}

start();
