// `pmtool check config FILE...`: promtool's config check with the server's own loader (the same
// positioned errors the server gives), then a rules check of every rule file it references.
import { dirname, join, relative, resolve } from 'node:path';
import { expandRuleFiles, loadConfigFile } from '@promethium/server';
import type { CliIo } from '../cli.js';
import { runCheckRules } from './check-rules.js';

export async function runCheckConfig(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout('usage: pmtool check config [<flags>] <config-files>...\n\nCheck if the config files are valid or not.\n\nFlags:\n  --syntax-only  Only check the config file syntax, ignoring file and content validation.\n');
    return 0;
  }
  const syntaxOnly = argv.includes('--syntax-only');
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0) {
    io.stderr("pmtool: error: required argument 'config-files' not provided, try --help\n");
    return 1;
  }
  let failed = false;
  const ruleFiles: string[] = [];
  for (const file of files) {
    io.stdout(`Checking ${file}\n`);
    try {
      const loaded = loadConfigFile(file);
      // Show rule files as promtool does: joined to the directory the config was named with.
      const shown = expandRuleFiles(loaded.config.rule_files).map((abs) => join(dirname(file), relative(dirname(resolve(file)), abs)));
      if (loaded.config.rule_files.length > 0) io.stdout(`  SUCCESS: ${shown.length} rule files found\n`);
      io.stdout(` SUCCESS: ${file} is valid prometheus config file syntax\n\n`);
      for (const w of loaded.warnings) io.stderr(`  WARNING: ${w}\n`);
      if (!syntaxOnly) ruleFiles.push(...shown);
    } catch (e) {
      failed = true;
      io.stderr(`  FAILED: ${(e as Error).message}\n`);
      io.stdout('\n');
    }
  }
  if (ruleFiles.length > 0) {
    const code = await runCheckRules(ruleFiles, io);
    if (code !== 0) return failed ? 1 : code;
  }
  return failed ? 1 : 0;
}
