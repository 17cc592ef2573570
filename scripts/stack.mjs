#!/usr/bin/env node
// Starts the full stack from workspace sources: the server on :9090, the pushgateway on
// :9091 (data under ./data) and the example app pushing to it. Ctrl-C stops them all.
// --watch (pnpm dev): each service runs under `tsx watch` and restarts when a source file it
// imports changes (its own or a workspace package's), and the web UI bundle the server serves
// is rebuilt by `vite build --watch`.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const data = process.env.PROMETHIUM_DATA ?? join(root, 'data');
mkdirSync(join(data, 'server'), { recursive: true });
mkdirSync(join(data, 'pushgateway'), { recursive: true });

/** The bin script of a package, resolved from `from` (a package directory). */
function binOf(pkg, from) {
  const manifest = createRequire(join(from, 'package.json')).resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin[pkg]);
}

function serverNodeFlags() {
  const pkg = JSON.parse(readFileSync(join(root, 'apps/server/package.json'), 'utf8'));
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
}

const tsx = watch
  ? [binOf('tsx', root), 'watch', '--clear-screen=false', '--conditions=@promethium/source']
  : ['--import', 'tsx', '--conditions=@promethium/source'];
const services = [
  {
    name: 'server',
    // The node flags of the server's `npm start` (GC tuning, see apps/server/src/gc-tuning.ts);
    // `tsx watch` takes no node flags, and a dev loop does not need them.
    args: [...(watch ? [] : serverNodeFlags()), ...tsx, join(root, 'apps/server/src/main.ts'),
      `--web.listen-address=${process.env.PROMETHIUM_SERVER_ADDRESS ?? ':9090'}`,
      `--storage.tsdb.path=${join(data, 'server')}`,
      `--config.file=${process.env.PROMETHIUM_CONFIG ?? join(root, 'docker/prometheus.yml')}`],
  },
  {
    name: 'pushgateway',
    args: [...tsx, join(root, 'apps/pushgateway/src/main.ts'),
      `--web.listen-address=${process.env.PROMETHIUM_PUSHGATEWAY_ADDRESS ?? ':9091'}`,
      `--persistence.file=${join(data, 'pushgateway', 'metrics.msgpack')}`],
  },
  {
    name: 'example-app',
    args: [...tsx, join(root, 'apps/example-app/src/main.ts')],
    env: { PUSHGATEWAY: `localhost:${(process.env.PROMETHIUM_PUSHGATEWAY_ADDRESS ?? ':9091').split(':').pop()}` },
  },
];
if (watch) {
  const webUi = join(root, 'apps/web-ui');
  services.push({ name: 'web-ui', args: [binOf('vite', webUi), 'build', '--watch', '--logLevel=warn'], cwd: webUi });
}

const children = services.map(({ name, args, env, cwd }) => {
  const child = spawn(process.execPath, args, { cwd: cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const prefix = (stream, out) => {
    let rest = '';
    stream.on('data', (buf) => {
      const lines = (rest + buf.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) out.write(`[${name}] ${l}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    console.error(`[${name}] exited (${signal ?? code})`);
    // The first service to exit on its own decides the exit code; those we stopped do not.
    if (!stopping) process.exitCode = code ?? 1;
    stopAll();
  });
  return child;
});

let stopping = false;
function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
