/**
 * sg-membership-recover's command line: its own options (--destroy, --up, --help) and the rest, which go to the
 * `pulumi up` or `pulumi destroy` it runs. The options that say which stack and project are also picked out, because
 * every other pulumi command it runs (export, import, cancel) must act on the same stack.
 */

export type Mode = "up" | "destroy";

export interface RecoverOptions {
  help: boolean;
  /** What the interrupted run was, when the user said so; otherwise it is read from the state. */
  mode?: Mode;
  /** For `pulumi up` / `pulumi destroy`, as given. */
  passThrough: string[];
  /** --stack / --cwd and their values, for the other pulumi commands. */
  stackArgs: string[];
  stack?: string;
  cwd?: string;
}

// Stack names: letters, digits, `-`, `_`, `.`, with optional organization/ and project/ in front (Pulumi's own rule).
const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

function valueOf(args: readonly string[], i: number, flag: string): string {
  const value = args[i + 1];
  if (value === undefined || value.startsWith("-")) throw new Error(`${flag} needs a value`);
  return value;
}

export function parseOptions(args: readonly string[]): RecoverOptions {
  const options: RecoverOptions = { help: false, passThrough: [], stackArgs: [] };
  const setMode = (mode: Mode) => {
    if (options.mode && options.mode !== mode) throw new Error("give at most one of --up and --destroy");
    options.mode = mode;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const inline = /^(--stack|--cwd)=(.*)$/s.exec(arg);
    if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--destroy") setMode("destroy");
    else if (arg === "--up") setMode("up");
    else if (inline || /^(--stack|-s|--cwd|-C)$/.test(arg)) {
      const flag = inline ? inline[1]! : arg;
      const value = inline ? inline[2]! : valueOf(args, i++, arg);
      if (flag === "--stack" || flag === "-s") options.stack = value;
      else options.cwd = value;
      options.stackArgs.push(flag, value);
      options.passThrough.push(flag, value);
    } else options.passThrough.push(arg);
  }
  // A name that is only dots would lead the stack's file paths out of the backend's directory.
  if (options.stack !== undefined && (!STACK_NAME.test(options.stack) || options.stack.split("/").some((part) => /^\.+$/.test(part)))) {
    throw new Error(`--stack ${JSON.stringify(options.stack)} is not a stack name ([org/][project/]name of letters, digits, -, _ and .)`);
  }
  return options;
}

export const USAGE = `Usage: npx sg-membership-recover [--destroy] [pulumi up or pulumi destroy options]

Finishes a \`pulumi up\` or \`pulumi destroy\` of this project's stack that was interrupted (Ctrl-C twice, a killed CI
job, a machine that slept), whatever moment it was stopped at:

  1. If the stack cannot be opened, finds out why. On a local file backend (file://) it repairs exactly that: an
     empty or cut-short metadata file beside the checkpoint (<stack>.json.attrs) is set aside when the checkpoint is
     whole; a damaged checkpoint is replaced by the newest readable earlier one (<stack>.json.bak, then the backend's
     .pulumi/history and .pulumi/backups). What it replaces is kept beside it (*.damaged-<time>). On other backends it
     changes nothing and prints the commands to restore an earlier checkpoint.
  2. If the interrupted run still holds the stack's lock, cancels it (\`pulumi cancel\`), unless that run is still
     alive on this machine.
  3. Runs the interrupted command again with the options given (for example --yes, --stack dev, --cwd infra):
     \`pulumi up\`, accepting a membership that already exists only where the state records an interrupted create
     of it by this stack, then clearing those records; with --destroy, \`pulumi destroy\`. Both read every
     membership first, so what the interrupted run already did is not done twice, and nothing else is touched.

  --destroy   the interrupted run was \`pulumi destroy\`: finish the destroy
  --up        the interrupted run was \`pulumi up\` (the default; needed only when the state shows interrupted
              deletes and no interrupted creates, which an interrupted destroy leaves too)
  -h, --help  this text`;
