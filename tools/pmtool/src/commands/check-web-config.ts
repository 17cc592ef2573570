// `pmtool check web-config FILE...`: validates web configuration files like promtool,
// reporting "<file> SUCCESS" or "<file> FAILED: <reason>" (on stderr, as promtool) with the line.
import { existsSync } from 'node:fs';
import { ConfigError, loadWebConfig } from '@promethium/web-toolkit';
import type { CliIo } from '../cli.js';

export async function runCheckWebConfig(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout('usage: pmtool check web-config <web-config-files>...\n\nCheck if the web config files are valid or not.\n');
    return 0;
  }
  if (argv.length === 0) {
    io.stderr("pmtool: error: required argument 'web-config-files' not provided, try --help\n");
    return 1;
  }
  for (const f of argv) {
    if (!existsSync(f)) {
      io.stderr(`pmtool: error: path '${f}' does not exist, try --help\n`);
      return 1;
    }
  }
  let failed = false;
  for (const f of argv) {
    try {
      loadWebConfig(f);
      io.stderr(`${f} SUCCESS\n`);
    } catch (e) {
      failed = true;
      const msg = e instanceof ConfigError ? `${e.line !== undefined ? `line ${e.line}: ` : ''}${e.field ? `${e.field}: ` : ''}${e.reason}` : String(e);
      io.stderr(`${f} FAILED: ${msg}\n`);
    }
  }
  return failed ? 1 : 0;
}
