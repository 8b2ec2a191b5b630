/**
 * `ecs-emulator status` and `ecs-emulator stop`: find a running emulator by its PID file or by its port, and say
 * whether it runs, or stop it. A newcomer who started one with --detach needs no `kill "$(cat FILE)"` or lsof.
 */
import { readFileSync, rmSync } from "node:fs";
import { adminRequest } from "./admin-client";

export interface ControlTarget {
  pidFile?: string;
  port?: number;
  host: string;
  adminToken?: string;
}

/** What a command prints and how it exits: 0 done (or running, for status), 3 not running (as LSB's status), 1 failed. */
export interface ControlOutcome {
  code: 0 | 1 | 3;
  message: string;
}

const STOP_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

/** The emulator's PID and how it was found, or why none was. */
type Found = { pid: number; where: string } | { outcome: ControlOutcome };

export async function emulatorStatus(target: ControlTarget): Promise<ControlOutcome> {
  const found = await findEmulator(target);
  if ("outcome" in found) return found.outcome;
  return { code: 0, message: `ECS emulator running: PID ${found.pid}, ${found.where}` };
}

export async function stopEmulator(target: ControlTarget): Promise<ControlOutcome> {
  const found = await findEmulator(target);
  if ("outcome" in found) {
    // Stopping what already stopped is done, not a failure: scripts that clean up may run it twice.
    return found.outcome.code === 3 ? { code: 0, message: `${found.outcome.message}; nothing to stop` } : found.outcome;
  }
  try {
    process.kill(found.pid, "SIGTERM");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") return { code: 1, message: `cannot stop PID ${found.pid}: ${(error as Error).message}` };
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isRunning(found.pid)) {
    if (Date.now() > deadline) return { code: 1, message: `PID ${found.pid} has not exited within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM` };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { code: 0, message: `ECS emulator stopped (PID ${found.pid}, ${found.where})` };
}

function findEmulator(target: ControlTarget): Promise<Found> | Found {
  if (target.pidFile !== undefined) return byPidFile(target.pidFile);
  return byPort(target.host, target.port!, target.adminToken);
}

function byPidFile(file: string): Found {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return { outcome: { code: 1, message: (error as Error).message } };
    // The emulator removes its PID file as it exits, so a missing file most often means it stopped.
    return { outcome: { code: 3, message: `ECS emulator not running: no PID file ${file} (it is removed when the emulator exits)` } };
  }
  const pid = Number(text.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return { outcome: { code: 1, message: `${file} does not hold a PID: ${JSON.stringify(text.trim())}` } };
  if (!isRunning(pid) || !looksLikeEmulator(pid)) {
    // Left by an emulator that was killed hard; its PID may since belong to another program, which must not be signalled.
    rmSync(file, { force: true });
    return { outcome: { code: 3, message: `ECS emulator not running: PID ${pid} in ${file} is no longer an ECS emulator (stale file removed)` } };
  }
  return { pid, where: `PID file ${file}` };
}

async function byPort(host: string, port: number, token: string | undefined): Promise<Found> {
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  try {
    const health = (await adminRequest(url, "GET", "health", undefined, { token })) as { status?: unknown; pid?: unknown };
    if (health.status !== "ok" || typeof health.pid !== "number")
      return { outcome: { code: 1, message: `${url} answered, but not as an ECS emulator` } };
    return { pid: health.pid, where: url };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === "ECONNREFUSED") return { outcome: { code: 3, message: `ECS emulator not running: nothing listens on ${url}` } };
    return { outcome: { code: 1, message: `${url}: ${(error as Error).message}` } };
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/** A detached emulator that has exited stays a zombie until an init process reaps it (in containers, seconds later). */
function isZombie(pid: number): boolean {
  try {
    // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/** Where the system shows command lines (Linux), the PID must still be an emulator's; elsewhere it is trusted. */
function looksLikeEmulator(pid: number): boolean {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return true;
  }
  return /ecs-emulator|emulator[\\/]cli\.js/.test(commandLine);
}
