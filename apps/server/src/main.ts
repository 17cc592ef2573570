#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { parseListenAddress } from './listen-address.js';

// Flags use Prometheus' names: --flag=value or --flag value.
function flag(name: string, def: string): string {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) return args[i + 1] ?? def;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return def;
}

const listen = parseListenAddress(flag('web.listen-address', ':9090'));
const dataPath = flag('storage.tsdb.path', 'data/');
mkdirSync(dataPath, { recursive: true });
const server = serve({ fetch: createApp().fetch, hostname: listen.host, port: listen.port }, (info) => {
  console.log(`ts=${new Date().toISOString()} level=info component=web msg="Listening" address=${info.address}:${info.port}`);
});
const shutdown = (): void => {
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
