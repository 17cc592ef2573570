// Command dispatch for pmtool. Each command lives in its own file under commands/.
import { runCheck } from './commands/check.js';
import { runQuery } from './commands/query.js';

export interface CliIo {
  stdin: () => Promise<Buffer>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

interface Command {
  usage: string;
  help: string;
  run: (argv: readonly string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  check: { usage: 'check web-config|...', help: 'Check the resources for validity.', run: runCheck },
  query: { usage: 'query instant|range|series|labels', help: 'Run query against a Prometheus-compatible server.', run: runQuery },
};

function usage(): string {
  const rows = Object.values(COMMANDS).map((c) => [c.usage, c.help] as const);
  const w = Math.max(...rows.map((r) => r[0].length), 'version'.length);
  return `usage: pmtool <command> [<args> ...]

The promtool of the Promethium stack: check, query, tsdb, promql test, push.

Commands:
  ${'help'.padEnd(w)}  Show this help.
  ${'version'.padEnd(w)}  Show version information.
${rows.map(([u, h]) => `  ${u.padEnd(w)}  ${h}`).join('\n')}

Run "pmtool <command> --help" for a command's flags.
`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(usage());
      return 0;
    case 'version':
    case '--version':
      io.stdout('pmtool, version 0.1.0\n');
      return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.stderr(`pmtool: error: expected command but got "${cmd}", try --help\n`);
    return 1;
  }
  return command.run(rest, io);
}
