// Command dispatch for pmtool. Each command lives in its own file under commands/.
import { promqlCommand } from './commands/promql-test.js';
export interface CliIo {
  stdin: () => Promise<Buffer>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = `usage: pmtool <command> [<args> ...]

The promtool of the Promethium stack.

Commands:
  help        Show this help.
  version     Show version information.
  promql test Run PromQL test scripts (promqltest format).
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
    case 'promql':
      return promqlCommand(argv.slice(1), io);
    default:
      io.stderr(`pmtool: error: expected command but got "${cmd}", try --help\n`);
      return 1;
  }
}
