#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { FlagError } from './cli/flags.js';
import { parseServerFlags, serverUsage } from './cli/server-flags.js';
import type { ParsedServerFlags } from './cli/server-flags.js';
import { Logger } from './log/logger.js';

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
mkdirSync(flags.tsdbPath, { recursive: true });
const server = serve({ fetch: createApp().fetch, hostname: flags.listenAddress.host, port: flags.listenAddress.port }, (info) => {
  logger.with({ component: 'web' }).info('Start listening for connections', { address: `${info.address}:${info.port}` });
});
const shutdown = (): void => {
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
