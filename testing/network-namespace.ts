/**
 * A network namespace of its own, with only loopback up: a port the documentation fixes (8787) is free there whatever
 * listens on it elsewhere, so the sessions that use it can run at the same time, each on the machine its reader has.
 * The namespace lives as long as a holder process (`unshare --net`) that exits when its stdin closes, which it does
 * when the test process ends, however it ends. Making one needs root (CAP_SYS_ADMIN), as the tests and CI run.
 */
import { spawn } from "child_process";
import { runProcess } from "./processes";

export interface NetworkNamespace {
  /** The command prefix that runs a program inside the namespace. */
  enter: string[];
  /** True when something inside the namespace accepts connections on 127.0.0.1:`port`. */
  portInUse(port: number): Promise<boolean>;
  /** Ends the holder; the namespace goes with the last process in it. */
  close(): Promise<void>;
}

const HOLDER = "ip link set lo up && echo ready && read -r _";

export async function startNetworkNamespace(): Promise<NetworkNamespace> {
  const holder = spawn("unshare", ["--net", "sh", "-c", HOLDER], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  holder.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  holder.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => holder.once("close", () => resolve()));
  const ready = await new Promise<boolean>((resolve) => {
    holder.stdout.on("data", () => output.includes("ready\n") && resolve(true));
    holder.once("error", (error) => resolve(!(output += error.message)));
    void exited.then(() => resolve(false));
  });
  if (!ready) {
    throw new Error(
      `Could not make a network namespace (\`unshare --net\`, then \`ip link set lo up\`): ${output.trim() || "no output"}. ` +
        "The documentation's sessions that use its fixed port each run in one of their own; run the tests as root " +
        "(or with CAP_SYS_ADMIN), with util-linux's unshare and nsenter and iproute2's ip installed.",
    );
  }
  const enter = ["nsenter", `--net=/proc/${holder.pid}/ns/net`, "--"];
  return {
    enter,
    portInUse: async (port) => {
      const probe = runProcess([...enter, "bash", "-c", `if : 2>/dev/null </dev/tcp/127.0.0.1/${port}; then echo open; else echo closed; fi`]);
      await probe.exited;
      const answer = probe.stdout().trim();
      if (answer !== "open" && answer !== "closed") throw new Error(`Could not look at port ${port} in the namespace: ${probe.stderr()}`);
      return answer === "open";
    },
    close: async () => {
      holder.stdin.end();
      await exited;
    },
  };
}
