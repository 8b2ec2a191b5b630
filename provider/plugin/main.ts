/**
 * The provider plugin's process, `pulumi-resource-alicloud-sg-membership`: serves the ResourceProvider service on a
 * loopback port and prints that port on stdout (the engine's handshake), and ends by itself when the engine is gone,
 * so a killed `pulumi` never leaves it running.
 */
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { LifecycleOptions } from "../membership/lifecycle";
import { reportThrottling, useProgressLog } from "../membership/runtime";
import { EngineLog } from "./engine-log";
import { MembershipService } from "./service";
import { Work } from "./work";

/** How often the plugin looks for its parent (the engine): a gone engine is noticed within this. */
const PARENT_POLL_MS = 500;
/** How long work in flight may run on after the engine is gone or a SIGTERM: a Join's wait for ECS, at a safe point. */
const DRAIN_MS = 30_000;
/** How long the last answers may take to reach the engine once work is done. */
const SHUTDOWN_GRACE_MS = 1_000;

/** The engine's address: the one argument the engine gives besides logging flags (plugin.go prepends those). */
export function engineAddressOf(args: readonly string[]): string | undefined {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--logtostderr" || arg.startsWith("-v=") || arg.startsWith("--logflow")) continue;
    if (arg === "--tracing") {
      i++;
      continue;
    }
    rest.push(arg);
  }
  return rest[0];
}

function parentGone(parent: number): boolean {
  if (process.ppid !== parent) return true;
  try {
    process.kill(parent, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export interface ServeOptions {
  args?: readonly string[];
  /** Tests shorten the backoff; the behaviour is the same. */
  lifecycle?: LifecycleOptions;
}

export async function serve(options: ServeOptions = {}): Promise<void> {
  const log = new EngineLog();
  useProgressLog(() => log);
  const address = engineAddressOf(options.args ?? process.argv.slice(2));
  if (address) log.connect(address);
  const work = new Work();
  const server = new grpc.Server({ "grpc.max_receive_message_length": 64 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, new MembershipService(log, work, options.lifecycle).handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    work.stop(reason);
    const drained = await Promise.race([
      work.drained().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, DRAIN_MS, false).unref()),
    ]);
    if (!drained)
      console.error(`pulumi-resource-alicloud-sg-membership: ${work.running} operation(s) still running after ${DRAIN_MS / 1000} s; exiting`);
    // The engine closes the plugin at the end of a run: the last word on it is what the account's quota cost.
    await reportThrottling();
    // Answers of the last calls are still being written: a graceful shutdown sends them, a forced one after 1 s does not wait.
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => (server.forceShutdown(), resolve()), SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => (clearTimeout(force), resolve()));
    });
    log.close();
    process.exit(0);
  };

  const parent = process.ppid;
  setInterval(() => {
    if (parentGone(parent)) void stop("the engine is gone");
  }, PARENT_POLL_MS).unref();
  // The engine closes a plugin with SIGINT to its process group (a group of the plugin's own, so a terminal's Ctrl-C
  // never reaches it: that comes as Cancel), then waits up to 5 s before SIGKILL: exit as soon as work in flight is done.
  process.on("SIGINT", () => void stop("the engine is closing the plugin (SIGINT)"));
  process.on("SIGTERM", () => void stop("the plugin was asked to stop (SIGTERM)"));

  // The handshake: the engine reads the port from the first line of stdout.
  process.stdout.write(`${port}\n`);
}
