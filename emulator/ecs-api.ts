import { EcsError, ecsErrors, type World } from "./models";
import { parseRequest, type ParsedRequest, type RawRequest } from "./protocol/request-parser";
import { actionOf, businessParams, formatOf, versionOf, type ResponseFormat } from "./protocol/common-params";
import { authenticate, type AuthContext } from "./auth/authenticate";
import type { FaultInjector } from "./faults/fault-injector";
import type { RequestStats } from "./stats";
import { renderError, renderSuccess, type WireResponse } from "./responses/render";
import { faultResponse } from "./faults/fault-responses";
import { applyBehindFault } from "./faults/applied-faults";
import type { CallOutcome, RequestLog } from "./console/request-log";

export const API_VERSION = "2014-05-26";

export interface EcsApiDeps {
  world: World;
  auth: AuthContext;
  faults: FaultInjector;
  stats: RequestStats;
  /** Carries out a mutation and saves the world durably, before its response is sent. */
  commit<T>(change: () => T): T;
  /** Waits out injected latency. */
  delay(ms: number): Promise<void>;
  /** Runs `task` ms from now, unless the emulator closes first. */
  later(ms: number, task: () => void): void;
  /** The console's log of recent calls. */
  requestLog: RequestLog;
}

/** One ECS API request, from raw HTTP to the wire response; undefined means drop the connection (a fault). */
export async function handleEcsRequest(raw: RawRequest, deps: EcsApiDeps): Promise<WireResponse | undefined> {
  const outcome: CallOutcome = { req: undefined, action: undefined, faults: [], answer: undefined, startedAt: Date.now() };
  outcome.answer = await answer(raw, deps, outcome);
  deps.requestLog.record(outcome);
  return outcome.answer;
}

async function answer(raw: RawRequest, deps: EcsApiDeps, outcome: CallOutcome): Promise<WireResponse | undefined> {
  let req: ParsedRequest;
  try {
    req = parseRequest(raw);
  } catch (error) {
    deps.stats.count(undefined);
    return errorResponse(error, "JSON");
  }
  const action = actionOf(req);
  Object.assign(outcome, { req, action });
  deps.stats.count(action);
  const format = formatOf(req.params);
  try {
    return await dispatch(req, action, format, deps, outcome);
  } catch (error) {
    return errorResponse(error, format);
  }
}

async function dispatch(
  req: ParsedRequest,
  action: string | undefined,
  format: ResponseFormat,
  deps: EcsApiDeps,
  outcome: CallOutcome,
): Promise<WireResponse | undefined> {
  if (!action) throw ecsErrors.missingParameter("Action");
  const version = versionOf(req);
  if (!version) throw ecsErrors.missingParameter("Version");
  if (version !== API_VERSION) throw ecsErrors.invalidVersion();
  const spec = Object.hasOwn(deps.world.actions, action) ? deps.world.actions[action] : undefined;
  if (!spec) throw ecsErrors.actionNotFound();
  const key = authenticate(req, deps.auth);
  if (spec.mutating && key.readOnly) throw ecsErrors.ramDenied();
  admitOrCountRefusal(deps, outcome, key.accessKeyId, action, req.params.get("RegionId") ?? "");
  const decision = deps.faults.decide(action, req.params.get("InstanceId") ?? req.params.get("NetworkInterfaceId"));
  outcome.faults = decision.fired;
  if (decision.latencyMs > 0) await deps.delay(decision.latencyMs);
  const params = businessParams(req);
  const run = () => (spec.mutating ? deps.commit(() => spec.run(params)) : spec.run(params));
  if (!decision.fault) return renderSuccess(action, run(), format);
  if (spec.mutating) applyBehindFault(decision.fault, run, (ms, task) => deps.later(ms, task));
  return faultResponse(decision.fault, format);
}

/** ECS's flow control (settings.flowControl): a refused call is counted apart in the stats, so a test can tell how
 *  often a client ran into the quota, and the console's log names the quota that answered it. */
function admitOrCountRefusal(deps: EcsApiDeps, outcome: CallOutcome, accessKeyId: string, action: string, regionId: string): void {
  try {
    deps.world.admitCall(accessKeyId, action, regionId);
  } catch (error) {
    deps.stats.countRefusal(action);
    const { flowControl, flowControlWindowMs } = deps.world.settings;
    outcome.quota = `quota ${flowControl[action]} per ${flowControlWindowMs} ms`;
    throw error;
  }
}

function errorResponse(error: unknown, format: ResponseFormat): WireResponse {
  if (error instanceof EcsError) return renderError(error, format);
  console.error("ecs-emulator: unexpected failure", error);
  return renderError(ecsErrors.internalError(), format);
}
