#!/usr/bin/env -S node --max-semi-space-size=2 --expose-gc
// (A 2 MiB young generation instead of 16: pushes make short-lived garbage in small bursts, and
// the bigger nursery only adds ~20 MB of resident memory. --expose-gc lets /metrics collect
// right after a very large scrape; see collectGarbageSoon in app.ts.)
// promethium-pushgateway: flags as the real Pushgateway's; SIGTERM/SIGINT write the
// persistence file and exit 0.
import { ConfigError } from '@promethium/web-toolkit';
import { FlagError, helpText, parseFlags } from './flags.js';
import { VERSION } from './own-metrics.js';
import { createPushgateway, flagsToOptions } from './pushgateway.js';

function main(): void {
  let parsed;
  try {
    parsed = parseFlags(process.argv.slice(2));
  } catch (e) {
    if (e instanceof FlagError) {
      process.stderr.write(`promethium-pushgateway: error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (parsed.flags.help) {
    process.stdout.write(helpText('promethium-pushgateway'));
    return;
  }
  if (parsed.flags.version) {
    process.stdout.write(`promethium-pushgateway, version ${VERSION} (node ${process.version})\n`);
    return;
  }
  const options = flagsToOptions(parsed.flags, parsed.raw);
  const log = options.logger!;
  log.info('starting pushgateway', { version: VERSION, persistence_file: parsed.flags['persistence.file'] || undefined });
  let pg;
  try {
    pg = createPushgateway({ ...options, onQuit: () => process.exit(0) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // file:line: reason, as the caller needs to fix it.
    log.error('error loading web config file', { component: 'web', err: e.message });
    process.exit(1);
  }
  pg.listen().catch((e: Error) => {
    log.error('cannot listen', { component: 'web', address: parsed.flags['web.listen-address'], err: e.message });
    process.exit(1);
  });
  const shutdown = (signal: string): void => {
    log.info('received signal, shutting down', { signal });
    void pg.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main();
