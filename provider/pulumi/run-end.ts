/**
 * The end of a run in Pulumi's dynamic-provider plugin process: the engine closes the plugin with SIGINT (and kills it
 * 5 s later), and the plugin gives a provider no hook of its own for that. The run's throttling is told to the engine
 * first, then the process ends as the signal would have ended it.
 */
import { reportThrottling } from "../membership/runtime";
import { insidePlugin } from "./engine-log";

/** Once per process, however many copies of this package the program loads. */
export function reportThrottlingAtClose(): void {
  const holder = globalThis as { __alicloudSgMembershipReportsAtClose?: boolean };
  if (holder.__alicloudSgMembershipReportsAtClose || !insidePlugin()) return;
  holder.__alicloudSgMembershipReportsAtClose = true;
  process.once("SIGINT", () => {
    void reportThrottling().finally(() => process.kill(process.pid, "SIGINT"));
  });
}
