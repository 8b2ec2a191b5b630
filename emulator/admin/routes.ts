import type { World } from "../models";
import type { FaultInjector } from "../faults/fault-injector";
import { parseFaultRules, parseRngSeed, type FaultRule } from "../faults/fault-rules";
import { SaveError } from "../persistence/state-file";
import type { RequestStats } from "../stats";
import type { WireResponse } from "../responses/render";

export const ADMIN_PREFIX = "/_emulator/";

export interface AdminDeps {
  world: World;
  faults: FaultInjector;
  stats: RequestStats;
  /** The whole state as saved: the world plus the fault settings in force. */
  state(): unknown;
  /** Carries out a change of the world and saves it; a failed save undoes it and throws SaveError. */
  commit<T>(change: () => T): T;
  /** Saves new fault settings, then puts them in force; a failed save throws SaveError and changes nothing. */
  replaceFaults(rules: FaultRule[], rngSeed?: number): void;
}

type Route = (body: string, deps: AdminDeps) => WireResponse;

/** The control API for tests and tools: outside the ECS API, unsigned, not counted in stats. GET state shows the seed's
 *  secrets: AdminGuard (in front of these routes) keeps web pages away, and an optional token keeps other local users away. */
const ROUTES: Record<string, Partial<Record<string, Route>>> = {
  // For `ecs-emulator status` and `stop --port`, and for scripts that wait for the emulator: the PID is what `stop` signals.
  health: { GET: () => adminJson(200, { status: "ok", pid: process.pid }) },
  stats: {
    GET: (_body, deps) => adminJson(200, deps.stats.toJSON()),
    DELETE: (_body, deps) => {
      deps.stats.reset();
      return adminJson(200, deps.stats.toJSON());
    },
  },
  state: { GET: (_body, deps) => adminJson(200, deps.state()) },
  world: {
    POST: (body, deps) => {
      const patch = parseJson(body);
      deps.commit(() => deps.world.applyPatch(patch));
      return adminJson(200, deps.state());
    },
  },
  "flow-control": {
    GET: (_body, deps) => adminJson(200, flowControlOf(deps)),
    PUT: (body, deps) => {
      const settings = parseJson(body);
      if (settings === null || typeof settings !== "object" || Array.isArray(settings)) {
        throw new Error('the body must be an object: {"flowControl"?: {"JoinSecurityGroup": 100, ...}, "flowControlWindowMs"?: n}');
      }
      // A world patch of these two settings: validated, saved and undone on a failed save like any other.
      const { flowControl, flowControlWindowMs, ...rest } = settings as Record<string, unknown>;
      const unknown = Object.keys(rest);
      if (unknown.length > 0) throw new Error(`unknown field ${unknown[0]}; use flowControl and flowControlWindowMs`);
      const patch = { ...(flowControl === undefined ? {} : { flowControl }), ...(flowControlWindowMs === undefined ? {} : { flowControlWindowMs }) };
      deps.commit(() => deps.world.applyPatch({ settings: patch }));
      return adminJson(200, flowControlOf(deps));
    },
  },
  faults: {
    GET: (_body, deps) => adminJson(200, deps.faults.settings()),
    PUT: (body, deps) => {
      const settings = parseJson(body);
      if (settings === null || typeof settings !== "object" || Array.isArray(settings)) {
        throw new Error('the body must be an object: {"rules": [...], "rngSeed"?: n}');
      }
      const { rules, rngSeed } = settings as Record<string, unknown>;
      deps.replaceFaults(parseFaultRules(rules ?? []), parseRngSeed(rngSeed));
      return adminJson(200, deps.faults.settings());
    },
    DELETE: (_body, deps) => {
      deps.replaceFaults([]);
      return adminJson(200, deps.faults.settings());
    },
  },
};

function flowControlOf(deps: AdminDeps): { flowControl: Record<string, number>; flowControlWindowMs: number } {
  const { flowControl, flowControlWindowMs } = deps.world.settings;
  return { flowControl, flowControlWindowMs };
}

export function handleAdminRequest(method: string, path: string, body: string, deps: AdminDeps): WireResponse {
  const name = path.slice(ADMIN_PREFIX.length);
  const routes = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
  if (!routes) return adminJson(404, { message: `unknown admin endpoint ${path}; try health, stats, state, world, faults or flow-control` });
  const route = Object.hasOwn(routes, method) ? routes[method] : undefined;
  if (!route) return adminJson(405, { message: `${method} is not supported on ${path}; use ${Object.keys(routes).join(", ")}` });
  try {
    return route(body, deps);
  } catch (error) {
    return adminJson(error instanceof SaveError ? 500 : 400, { message: (error as Error).message });
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new Error(`the body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

export function adminJson(status: number, value: unknown): WireResponse {
  return { status, headers: { "content-type": "application/json;charset=utf-8" }, body: JSON.stringify(value) };
}
