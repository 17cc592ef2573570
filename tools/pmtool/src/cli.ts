// Command dispatch for pmtool: a table of commands (one or more words each, like promtool's
// `check metrics`); each command lives in its own file under commands/.
import { runCheckConfig } from './commands/check-config.js';
import { checkMetrics } from './commands/check-metrics.js';
import { promqlCommand } from './commands/promql-test.js';
import { runCheckRules } from './commands/check-rules.js';
import { runCheckWebConfig } from './commands/check-web-config.js';
import { runQuery } from './commands/query.js';
import { runTestRules } from './commands/test-rules.js';
import { runCreateBlocks } from './commands/tsdb-create-blocks.js';
import { runTsdbAnalyze } from './commands/tsdb-analyze.js';
import { runTsdbDump } from './commands/tsdb-dump.js';
import { runTsdbList } from './commands/tsdb-list.js';
import { runPush } from './commands/push.js';

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
  { name: 'check config', summary: 'Check if the config files are valid or not.', run: runCheckConfig },
  { name: 'check metrics', summary: 'Pass Prometheus metrics over stdin to lint them for consistency and correctness.', run: checkMetrics },
  { name: 'check rules', summary: 'Check if the rule files are valid or not.', run: runCheckRules },
  { name: 'check web-config', summary: 'Check if the web config files are valid or not.', run: runCheckWebConfig },
  { name: 'promql', summary: 'PromQL tools: promql test FILE... runs Prometheus test scripts.', run: (args, io) => Promise.resolve(promqlCommand(args, io)) },
  { name: 'test rules', summary: 'Unit tests for rules, in promtool\'s format.', run: runTestRules },
  { name: 'tsdb create-blocks-from openmetrics', summary: 'Import samples from OpenMetrics input and produce TSDB blocks.', run: runCreateBlocks },
  { name: 'tsdb list', summary: 'List tsdb blocks.', run: runTsdbList },
  { name: 'tsdb analyze', summary: 'Analyze churn, label pair cardinality and compaction efficiency.', run: runTsdbAnalyze },
  { name: 'tsdb dump', summary: 'Dump samples from a TSDB.', run: runTsdbDump },
  { name: 'push', summary: 'Push metrics to a Pushgateway group (validated first).', run: runPush },
  { name: 'query', summary: 'Run query against a Prometheus-compatible server (instant, range, series, labels).', run: runQuery },
];

/** Every command's words, e.g. "tsdb list" (for help and tests). */
export function commandNames(): string[] {
  return COMMANDS.map((c) => c.name);
}

const NAME_WIDTH = Math.max(...COMMANDS.map((c) => c.name.length));

function usage(): string {
  return `usage: pmtool <command> [<args> ...]

The promtool of the Promethium stack: check, query, tsdb, promql test, push.

Commands:
  ${'help'.padEnd(NAME_WIDTH)}  Show this help.
  ${'version'.padEnd(NAME_WIDTH)}  Show version information.
${COMMANDS.map((c) => `  ${c.name.padEnd(NAME_WIDTH)}  ${c.summary}`).join('\n')}

Run "pmtool <command> --help" for a command's flags.
`;
}

function groupUsage(prefix: string, members: readonly Command[]): string {
  return `usage: pmtool ${prefix} <command> [<args> ...]\n\nCommands:\n${members.map((c) => `  ${c.name.padEnd(NAME_WIDTH)}  ${c.summary}`).join('\n')}\n\nRun "pmtool <command> --help" for a command's flags.\n`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  switch (argv[0]) {
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
  // Longest match first, so "check metrics" wins over a shorter prefix.
  const words = (c: Command): string[] => c.name.split(' ');
  const match = COMMANDS.filter((c) => words(c).every((w, i) => argv[i] === w)).sort((a, b) => words(b).length - words(a).length)[0];
  if (match !== undefined) return match.run(argv.slice(words(match).length), io);
  // A command group ("tsdb", "check", ...): list its commands, like kingpin.
  const group = argv.filter((a) => !a.startsWith('-'));
  const members = COMMANDS.filter((c) => group.length > 0 && group.every((w, i) => words(c)[i] === w) && words(c).length > group.length);
  if (members.length > 0) {
    const prefix = group;
    const text = groupUsage(prefix.join(' '), members);
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(text);
      return 0;
    }
    io.stderr(`pmtool: error: must select a subcommand of '${prefix.join(' ')}', try --help\n`);
    return 1;
  }
  io.stderr(`pmtool: error: expected command but got "${argv.filter((a) => !a.startsWith('-')).join(' ')}", try --help\n`);
  return 1;
}
