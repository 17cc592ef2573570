// Command dispatch for pmtool: a table of commands (one or more words each, like promtool's
// `check metrics`); each command lives in its own file under commands/.
import { checkMetrics } from './commands/check-metrics.js';

export interface CliIo {
  stdin: () => Promise<Buffer>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface Command {
  /** The words that select the command, e.g. "check metrics". */
  name: string;
  summary: string;
  run: (args: readonly string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Command[] = [
  { name: 'check metrics', summary: 'Pass Prometheus metrics over stdin to lint them for consistency and correctness.', run: checkMetrics },
];

const USAGE = `usage: pmtool <command> [<args> ...]

The promtool of the Promethium stack.

Commands:
  help        Show this help.
  version     Show version information.
${COMMANDS.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`).join('\n')}
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [cmd] = argv;
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE);
      return 0;
    case 'version':
    case '--version':
      io.stdout('pmtool, version 0.1.0\n');
      return 0;
    default: {
      // Longest match first, so "check metrics" wins over a future "check".
      const words = (c: Command) => c.name.split(' ');
      const match = COMMANDS.filter((c) => words(c).every((w, i) => argv[i] === w)).sort((a, b) => words(b).length - words(a).length)[0];
      if (match !== undefined) return match.run(argv.slice(words(match).length), io);
      io.stderr(`pmtool: error: expected command but got "${argv.filter((a) => !a.startsWith('-')).join(' ')}", try --help\n`);
      return 1;
    }
  }
}
