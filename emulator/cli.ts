#!/usr/bin/env node
import { startEmulator, type EmulatorOptions } from "./index";

const USAGE = "usage: ecs-emulator --seed FILE [--port N] [--host H] [--state FILE]";

function parseArgs(argv: string[]): EmulatorOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (!["--seed", "--port", "--host", "--state"].includes(flag)) throw new Error(`unknown argument ${flag}`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    values.set(flag, value);
  }
  const seed = values.get("--seed");
  if (seed === undefined) throw new Error("--seed FILE is required");
  const port = Number(values.get("--port") ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.get("--port")}`);
  return { seed, port, host: values.get("--host") ?? "127.0.0.1", statePath: values.get("--state") };
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`ecs-emulator: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  console.log(`ECS emulator listening on ${emulator.url}`);
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
