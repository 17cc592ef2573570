#!/usr/bin/env -S node --heap-growing-percent=50 --no-memory-reducer
// The promethium binary: flags, logger, server start, signals (SIGHUP reloads, SIGTERM/SIGINT stop).
import { mkdirSync } from 'node:fs';
import { FlagError } from './cli/flags.js';
import { dataPath, parseServerFlags, serverUsage } from './cli/server-flags.js';
import type { ParsedServerFlags } from './cli/server-flags.js';
import { ConfigError } from './config/yaml-walk.js';
import { ConfigError as WebConfigError } from '@promethium/web-toolkit';
import { Logger } from './log/logger.js';
import { PromethiumServer } from './server.js';
import { tuneHeapGrowth } from './gc-tuning.js';

tuneHeapGrowth();

let parsed: ParsedServerFlags;
try {
  parsed = parseServerFlags(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  process.stderr.write(`promethium: error: ${e.message}\n`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(serverUsage());
  process.exit(0);
}
const flags = parsed.values;
const logger = new Logger({ level: flags.logLevel, format: flags.logFormat });
mkdirSync(dataPath(flags), { recursive: true });

let server: PromethiumServer;
try {
  server = await PromethiumServer.start({ flags, rawFlags: parsed.raw, logger, onQuit: () => process.exit(0) });
} catch (e) {
  if (e instanceof ConfigError) {
    logger.error('Error loading config', { file: flags.configFile, err: e.message });
  } else if (e instanceof WebConfigError) {
    logger.error('Error loading web config file', { component: 'web', err: e.message });
  } else {
    logger.error('Fatal error during startup', { err: e as Error });
  }
  process.exit(1);
}
process.on('SIGHUP', () => void server.reload());
const shutdown = (signal: string): void => {
  logger.warn('Received termination request, exiting gracefully...', { signal });
  void server.stop().then(() => process.exit(0));
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
