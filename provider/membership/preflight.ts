/**
 * One signed read per run, endpoint, region and credentials, at the first check that has a region: without it a stack's
 * first preview never reaches ECS (check, and the preview of a create, call nothing), so it passes with credentials ECS
 * refuses or an endpoint where nothing answers, and the run fails only at `pulumi up`. Every other check of the run
 * waits for the same verdict. Only an answer every call would get alike fails the run (codes.ts, `sameForEveryCall`:
 * credentials missing or refused, nothing that serves ECS at the endpoint after the usual brief retries); any other
 * answer, a throttle, a 5xx or no answer in time, lets the run go on to the operations and their own retries.
 */
import type { BackoffPolicy } from "../calls/backoff";
import { quotaWaitMessage } from "../calls/account-quota";
import { Deadline } from "../calls/deadline";
import { GaveUpError, withRetries } from "../calls/retry";
import { OWN_CODES, ruleFor } from "../ecs/codes";
import { EcsApiError, MembershipError } from "../ecs/errors";
import { explainPreflight } from "./guidance";
import { PREFLIGHT_OFF_SWITCH } from "./preflight-setting";
import { ecsAccess, progressLog, type EcsAccess } from "./runtime";
import type { ProviderSettings } from "./settings";

/** The read's budget, brief retries included: a preview should not wait on it longer than on a slow answer. */
const PREFLIGHT_DEADLINE_MS = 10_000;
const PREFLIGHT_ACTION = "DescribeInstances";

/** Whether `err` is what every call would meet: the run cannot work as configured. */
function failsEveryCall(err: unknown): boolean {
  if (err instanceof MembershipError) return err.code === OWN_CODES.missingCredentials;
  const cause = err instanceof GaveUpError ? err.lastError : err;
  return cause instanceof EcsApiError && ruleFor(cause.code, cause.httpStatus).sameForEveryCall !== undefined;
}

/** The read, with the usual brief retries of failures waiting cannot fix: undefined when it passed, else what ended it. */
async function read(access: EcsAccess, regionId: string, policy: BackoffPolicy, urn: string | undefined): Promise<unknown> {
  const deadline = Deadline.after(PREFLIGHT_DEADLINE_MS);
  const subject = `the preflight ${PREFLIGHT_ACTION} in ${regionId}`;
  try {
    return await withRetries(
      async () => {
        try {
          const onWait = (action: string, ms: number) => progressLog().info(`${subject}: ${quotaWaitMessage(action, ms)}`, urn);
          await access.calls.call(PREFLIGHT_ACTION, { RegionId: regionId, PageSize: 1 }, { budget: deadline, onWait });
          return undefined;
        } catch (err) {
          // Only what waiting cannot fix (nothing listens, no such host, not ECS) is tried again; anything else is the verdict.
          if (err instanceof EcsApiError && ruleFor(err.code, err.httpStatus).retry !== "briefly") return err;
          throw err;
        }
      },
      // Its brief retries take seconds, and a failure says how many there were: no line of their own.
      { kind: "read", budget: deadline, policy, onRetry: () => undefined },
    );
  } catch (err) {
    return err;
  }
}

/**
 * Resolves once this run's preflight for the region has its verdict; rejects with the explained failure when nothing
 * can work (the first check to meet it tells it in full, the others briefly). `urn`: the resource whose check asks.
 */
export async function preflight(settings: ProviderSettings, regionId: string, policy: BackoffPolicy, urn?: string): Promise<void> {
  const access = ecsAccess(settings, regionId);
  let verdict = access.preflights.get(regionId);
  if (!verdict) {
    verdict = read(access, regionId, policy, urn);
    access.preflights.set(regionId, verdict);
  }
  const outcome = await verdict;
  if (outcome === undefined || !failsEveryCall(outcome)) return;
  const context = { regionId, endpoint: access.endpoint, credentials: settings.credentials.description };
  throw explainPreflight(outcome, context, PREFLIGHT_OFF_SWITCH);
}
