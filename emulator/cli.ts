import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { startEmulator, type EmulatorOptions } from "./index";

const USAGE = `usage: ecs-emulator --seed FILE [--port N] [--host H] [--state FILE] [--admin-token TOKEN | --generate-admin-token]

  --seed FILE              the starting world (JSON), required
  --port N                 port to listen on, 0..65535; 0 (default) picks a free one
  --host H                 address to bind, default 127.0.0.1 (anything else warns: see docs/emulator.md)
  --state FILE             save every change to FILE and continue from it on the next start
  --admin-token TOKEN      admin requests (/_emulator/*) must carry this token (Authorization: Bearer TOKEN)
  --generate-admin-token   like --admin-token, with a random token printed on stdout after the ready line
  -h, --help               this text`;

const OPTIONS = {
  seed: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  state: { type: "string" },
  "admin-token": { type: "string" },
  "generate-admin-token": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type CommandLine = { help: true } | { help: false; options: EmulatorOptions; printToken: boolean };

function parseCommandLine(argv: string[]): CommandLine {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (values.help) return { help: true };
  if (values.seed === undefined) throw new Error("--seed FILE is required");
  const port = Number(values.port ?? "0");
  if (!/^\d+$/.test(values.port ?? "0") || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  if (values["admin-token"] !== undefined && values["generate-admin-token"]) {
    throw new Error("give --admin-token or --generate-admin-token, not both");
  }
  const adminToken = values["generate-admin-token"] ? randomBytes(24).toString("base64url") : values["admin-token"];
  // The token travels in an HTTP header: visible ASCII only.
  if (adminToken !== undefined && !/^[\x21-\x7e]+$/.test(adminToken)) throw new Error("--admin-token must be visible ASCII characters, no spaces");
  const options: EmulatorOptions = { seed: values.seed, port, host: values.host ?? "127.0.0.1", statePath: values.state, adminToken };
  return { help: false, options, printToken: values["generate-admin-token"] === true };
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
  const emulator = await startEmulator(commandLine.options);
  console.log(`ECS emulator listening on ${emulator.url}`);
  if (commandLine.printToken) console.log(`ECS emulator admin token: ${emulator.adminToken}`);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`ecs-emulator: ${(error as Error).message}`);
  process.exit(1);
});
