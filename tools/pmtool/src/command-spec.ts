// A command described once (usage, flags, positional args) so --help, argument errors and
// parsing are the same everywhere, in kingpin's words as promtool prints them.
import { formatFlagsHelp, parseArgs, UsageError, type FlagSpec, type ParsedArgs } from './args.js';
import type { CliIo } from './cli.js';

export interface ArgSpec {
  name: string;
  help: string;
  required?: boolean;
  default?: string;
}

export interface CommandSpec {
  /** Command words, e.g. "tsdb list". */
  name: string;
  help: string;
  flags: FlagSpec[];
  args: ArgSpec[];
  /** Extra text after the Args section (examples, exit codes). */
  epilog?: string;
}

export interface Invocation {
  parsed: ParsedArgs;
  /** Positional values by arg name, defaults applied. */
  args: Map<string, string>;
}

const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', help: 'Show context-sensitive help.', boolean: true };

export function commandHelp(spec: CommandSpec): string {
  const argList = spec.args.map((a) => (a.required ? `<${a.name}>` : `[<${a.name}>]`)).join(' ');
  const w = Math.max(...spec.args.map((a) => (a.required ? a.name.length + 2 : a.name.length + 4)), 0);
  const args = spec.args
    .map((a) => {
      const shown = a.required ? `<${a.name}>` : `[<${a.name}>]`;
      return `  ${shown.padEnd(w)}  ${a.help}${a.default !== undefined ? ` (default: ${a.default})` : ''}`;
    })
    .join('\n');
  return (
    `usage: pmtool ${spec.name}${spec.flags.length > 0 ? ' [<flags>]' : ''}${argList ? ' ' + argList : ''}\n\n${spec.help}\n\n` +
    `Flags:\n${formatFlagsHelp([HELP_FLAG, ...spec.flags])}\n` +
    (spec.args.length > 0 ? `\nArgs:\n${args}\n` : '') +
    (spec.epilog ? `\n${spec.epilog}` : '')
  );
}

/**
 * Parses argv for `spec` and runs `fn`; prints help for -h/--help and kingpin-style usage
 * errors (exit 1). `fn`'s own failures are its business (it returns the exit code).
 */
export async function runCommand(spec: CommandSpec, argv: readonly string[], io: CliIo, fn: (inv: Invocation) => Promise<number>): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(commandHelp(spec));
    return 0;
  }
  let inv: Invocation;
  try {
    const parsed = parseArgs(argv, spec.flags);
    const args = new Map<string, string>();
    spec.args.forEach((a, i) => {
      const v = parsed.positional[i] ?? a.default;
      if (v === undefined && a.required) throw new UsageError(`required argument '${a.name}' not provided`);
      if (v !== undefined) args.set(a.name, v);
    });
    if (parsed.positional.length > spec.args.length) throw new UsageError(`unexpected ${parsed.positional[spec.args.length]}`);
    inv = { parsed, args };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`pmtool: error: ${e.message}, try --help\n`);
    return 1;
  }
  return fn(inv);
}
