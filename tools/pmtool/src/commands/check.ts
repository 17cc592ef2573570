// `pmtool check <what>`: dispatches to the individual checkers.
import type { CliIo } from '../cli.js';
import { runCheckRules } from './check-rules.js';
import { runCheckWebConfig } from './check-web-config.js';

const CHECKS: Record<string, { args: string; help: string; run: (argv: readonly string[], io: CliIo) => Promise<number> }> = {
  rules: { args: '[<flags>] <rule-files>...', help: 'Check if the rule files are valid or not.', run: runCheckRules },
  'web-config': { args: '<web-config-files>...', help: 'Check if the web config files are valid or not.', run: runCheckWebConfig },
};

export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const [what, ...rest] = argv;
  const check = what !== undefined ? CHECKS[what] : undefined;
  if (!check) {
    const list = Object.entries(CHECKS).map(([n, c]) => `  check ${n} ${c.args}\n      ${c.help}`).join('\n');
    if (what === undefined || what === '--help' || what === '-h') {
      io.stdout(`usage: pmtool check <command> [<args> ...]\n\nCheck the resources for validity.\n\nSubcommands:\n${list}\n`);
      return 0;
    }
    io.stderr(`pmtool: error: expected command but got "check ${what}", try --help\n`);
    return 1;
  }
  return check.run(rest, io);
}
