// `pmtool test rules FILE...`: promtool's rule unit tests, same report and exit codes.
import { runRuleTestFile } from '@promethium/server';
import type { CliIo } from '../cli.js';

export async function runTestRules(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout('usage: pmtool test rules <test-rule-file>...\n\nUnit tests for rules (promtool\'s format: rule_files, evaluation_interval, tests with\ninput_series, alert_rule_test and promql_expr_test).\n');
    return 0;
  }
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0) {
    io.stderr("pmtool: error: required argument 'test-rule-file' not provided, try --help\n");
    return 1;
  }
  let failed = false;
  for (const f of files) {
    const r = await runRuleTestFile(f);
    io.stdout(r.stdout);
    if (r.stderr) io.stderr(r.stderr);
    failed ||= !r.ok;
  }
  return failed ? 1 : 0;
}
