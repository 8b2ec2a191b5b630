import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { emulatorStatus, stopEmulator, type ControlTarget } from "./control";
import { DEFAULT_WORLD_NAME, defaultWorld } from "./default-world";
import { detach, DETACHED_ENV, ignoreClosedOutput } from "./detach";
import type { EmulatorOptions } from "./index";

const USAGE = `usage: ecs-emulator [--seed FILE] [--port N] [--host H] [--state FILE] [--pid-file FILE [--detach]] [--admin-token TOKEN | --generate-admin-token]
       ecs-emulator status|stop (--pid-file FILE | --port N [--host H] [--admin-token TOKEN])

  --seed FILE              the starting world (JSON); without it, the default world: the basic example's (docs/emulator.md)
  --port N                 port to listen on, 0..65535; 0 (default) picks a free one
  --host H                 address to bind, default 127.0.0.1 (anything else warns: see docs/emulator.md)
  --state FILE             save every change to FILE and continue from it on the next start
  --pid-file FILE          once listening, write this process's PID to FILE (replacing what it held), and remove FILE on
                           SIGINT or SIGTERM: \`kill "$(cat FILE)"\` stops the emulator even when npx started it
  --detach                 run in the background: print the ready line and return once listening (needs --pid-file)
  --admin-token TOKEN      admin requests (/_emulator/*) must carry this token (Authorization: Bearer TOKEN)
  --generate-admin-token   like --admin-token, with a random token printed on stdout after the ready line
  -h, --help               this text

Once it listens it prints its address, then its console's: a live web page of its world, requests and faults
(/_emulator/console; with an admin token, open it with #token=TOKEN after the address).

  status                   say whether the emulator with this PID file, or on this port, runs (exit 0), or not (exit 3)
  stop                     stop it (SIGTERM) and wait until it has exited; one that is not running is already stopped`;

const OPTIONS = {
  seed: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  state: { type: "string" },
  "pid-file": { type: "string" },
  detach: { type: "boolean" },
  "admin-token": { type: "string" },
  "generate-admin-token": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type CommandLine =
  | { help: true }
  | { help: false; control: "status" | "stop"; target: ControlTarget }
  | { help: false; control?: undefined; options: EmulatorOptions; printToken: boolean; pidFile: string | undefined; detach: boolean };

function parseCommandLine(argv: string[]): CommandLine {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  if (values.help) return { help: true };
  if (positionals.length > 0) return parseControl(positionals, values);
  const port = Number(values.port ?? "0");
  if (!/^\d+$/.test(values.port ?? "0") || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  if (values.detach && values["pid-file"] === undefined) throw new Error("--detach needs --pid-file FILE, to stop the emulator later");
  if (values["admin-token"] !== undefined && values["generate-admin-token"]) {
    throw new Error("give --admin-token or --generate-admin-token, not both");
  }
  const adminToken = values["generate-admin-token"] ? randomBytes(24).toString("base64url") : values["admin-token"];
  // The token travels in an HTTP header: visible ASCII only.
  if (adminToken !== undefined && !/^[\x21-\x7e]+$/.test(adminToken)) throw new Error("--admin-token must be visible ASCII characters, no spaces");
  const options: EmulatorOptions = {
    seed: values.seed ?? defaultWorld(),
    port,
    host: values.host ?? "127.0.0.1",
    statePath: values.state,
    adminToken,
  };
  return {
    help: false,
    options,
    printToken: values["generate-admin-token"] === true,
    pidFile: values["pid-file"],
    detach: values.detach === true,
  };
}

function parseControl(positionals: string[], values: { [name: string]: string | boolean | undefined }): CommandLine {
  const [control, extra] = positionals;
  if ((control !== "status" && control !== "stop") || extra !== undefined) throw new Error(`unexpected argument ${extra ?? control}`);
  const pidFile = values["pid-file"] as string | undefined;
  const port = values.port as string | undefined;
  if ((pidFile === undefined) === (port === undefined)) throw new Error(`${control} needs --pid-file FILE or --port N (one of them)`);
  if (port !== undefined && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535))
    throw new Error(`--port must be 1..65535, got ${port}`);
  for (const flag of ["seed", "state", "detach", "generate-admin-token"]) {
    if (values[flag] !== undefined) throw new Error(`--${flag} does not apply to ${control}`);
  }
  const target: ControlTarget = {
    pidFile,
    port: port === undefined ? undefined : Number(port),
    host: (values.host as string | undefined) ?? "127.0.0.1",
    adminToken: values["admin-token"] as string | undefined,
  };
  return { help: false, control, target };
}

/** parseArgs' messages name options as '--seed <value>'; ours say what to do, as before parseArgs. */
function usageError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const flag = /'([^' ]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown argument ${flag}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `${flag} needs a value`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument ${flag}`;
  return message;
}

async function main(): Promise<void> {
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`ecs-emulator: ${usageError(error)}\n${USAGE}`);
    process.exit(2);
  }
  if (commandLine.help) {
    console.log(USAGE);
    return;
  }
  if (commandLine.control !== undefined) {
    const outcome = await (commandLine.control === "status" ? emulatorStatus : stopEmulator)(commandLine.target);
    (outcome.code === 1 ? console.error : console.log)(outcome.code === 1 ? `ecs-emulator: ${outcome.message}` : outcome.message);
    process.exitCode = outcome.code;
    return;
  }
  if (commandLine.detach) return detach(process.argv.slice(2).filter((arg) => arg !== "--detach"));
  if (process.env[DETACHED_ENV]) ignoreClosedOutput();
  const { pidFile } = commandLine;
  // Loaded only here: status, stop and --detach's waiting parent need none of the server, and loading it takes most
  // of a start's time (its many modules, zod's included).
  const { startEmulator } = await import("./index");
  const emulator = await startEmulator(commandLine.options);
  // This process's PID, not npx's: killing a backgrounded `npx ecs-emulator &` by its PID leaves the emulator listening.
  // Written before the ready line, so whoever waited for that line finds the file.
  if (pidFile !== undefined) writeFileSync(pidFile, `${process.pid}\n`);
  const stop = (): void => {
    emulator
      .close()
      .finally(() => {
        if (pidFile !== undefined) removePidFile(pidFile);
      })
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`ecs-emulator: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  // Before the ready line: whoever stops the emulator as soon as it is ready must find it stopping cleanly.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // Said on the ready line itself, so whoever forgot --seed sees which world answers (and scripts still find the URL).
  const world = typeof commandLine.options.seed === "string" ? "" : ` (default world: ${DEFAULT_WORLD_NAME})`;
  console.log(`ECS emulator listening on ${emulator.url}${world}`);
  if (commandLine.printToken) console.log(`ECS emulator admin token: ${emulator.adminToken}`);
  // The page reads the token from the address's fragment, which the browser never sends.
  const tokenFragment = emulator.adminToken === undefined ? "" : `#token=${commandLine.printToken ? emulator.adminToken : "<your admin token>"}`;
  console.log(`ECS emulator console: ${emulator.consoleUrl}${tokenFragment}`);
}

function removePidFile(file: string): void {
  try {
    // An emulator started later with the same file has replaced the PID: the file is then that one's to remove.
    if (readFileSync(file, "utf8").trim() === String(process.pid)) rmSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** One line; a port already taken is most often an emulator left running, so it says how to get past that. */
function startFailure(error: unknown): string {
  const { code, message, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (code !== "EADDRINUSE") return message;
  return `port ${port} on ${address} is already in use (another ECS emulator still running?): stop it, or choose another port (--port 0 picks a free one)`;
}

main().catch((error: unknown) => {
  console.error(`ecs-emulator: ${startFailure(error)}`);
  process.exit(1);
});
