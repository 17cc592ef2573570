// `pmtool check rules FILE...`: promtool's rule-file check with the same output and exit codes
// (0 ok, 1 invalid, 3 lint problems with --lint-fatal), using the server's own rule loader.
import { readFileSync } from 'node:fs';
import { formatProblem, parseRuleFile, RuleFileError, type GroupDef } from '@promethium/server';
import { flag, parseArgs, UsageError, type FlagSpec } from '../args.js';
import type { CliIo } from '../cli.js';

const FLAGS: FlagSpec[] = [
  { name: 'lint', help: 'Linting checks to apply: all, duplicate-rules, none.', value: 'LINT', default: 'duplicate-rules' },
  { name: 'lint-fatal', help: 'Make lint errors exit with exit code 3.', boolean: true },
  { name: 'extended', help: 'Print extended information (accepted for compatibility).', boolean: true },
];

/** Recording rules with the same name and labels (they would write the same series). */
function duplicates(groups: GroupDef[]): { metric: string; labels: Record<string, string> }[] {
  const seen = new Map<string, number>();
  const out: { metric: string; labels: Record<string, string> }[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.kind !== 'record') continue;
      const key = JSON.stringify([r.name, Object.entries(r.labels).sort()]);
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n === 2) out.push({ metric: r.name, labels: r.labels });
    }
  }
  return out;
}

export async function runCheckRules(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout('usage: pmtool check rules [<flags>] <rule-files>...\n\nCheck if the rule files are valid or not.\n');
    return 0;
  }
  let p;
  try {
    p = parseArgs(argv, FLAGS);
    if (p.positional.length === 0) throw new UsageError("required argument 'rule-files' not provided");
    const lint = flag(p, 'lint');
    if (!['all', 'duplicate-rules', 'none'].includes(lint ?? '')) throw new UsageError(`unknown lint option "${lint}"`);
  } catch (e) {
    io.stderr(`pmtool: error: ${(e as Error).message}, try --help\n`);
    return 1;
  }
  const lintOn = flag(p, 'lint') !== 'none';
  const lintFatal = flag(p, 'lint-fatal') === 'true';
  let failed = false;
  let lintProblems = false;
  for (const file of p.positional) {
    io.stdout(`Checking ${file}\n`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      io.stderr(`  FAILED:\n${file}: ${(e as Error).message}\n`);
      failed = true;
      continue;
    }
    try {
      const groups = parseRuleFile(text, file);
      const count = groups.reduce((n, g) => n + g.rules.length, 0);
      const dups = lintOn ? duplicates(groups) : [];
      // promtool reports either success or the lint problems, not both.
      if (dups.length === 0) io.stdout(`  SUCCESS: ${count} rules found\n`);
      else {
        lintProblems = true;
        const detail = dups
          .map((d) => `Metric: ${d.metric}\nLabel(s):\n${Object.entries(d.labels).map(([k, v]) => `\t${k}: ${v}\n`).join('')}`)
          .join('');
        io.stderr(`  FAILED:\nlint error ${dups.length} duplicate rule(s) found.\n${detail}Might cause inconsistency while recording expressions\n`);
      }
    } catch (e) {
      if (!(e instanceof RuleFileError)) throw e;
      failed = true;
      io.stderr(`  FAILED:\n${e.problems.map(formatProblem).join('\n')}\n`);
    }
    io.stdout('\n');
  }
  if (failed) return 1;
  return lintProblems && lintFatal ? 3 : 0;
}
