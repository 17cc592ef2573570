// The cost of --web.config.file basic auth per request: Promethium's pushgateway against the real
// Prometheus Pushgateway 1.5.1 (exporter-toolkit) given the same web config, both as child
// processes on 127.0.0.1 over one keep-alive connection. Shown: /metrics latency without auth,
// with a cached credential, with a never-seen credential (a full bcrypt check, cost 10), the
// first request of a valid credential against the ones after it, and the in-process
// Authenticator itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Authenticator, debianBcrypt, hashPassword } from '@promethium/web-toolkit';
import { defineSuite, formatMs, type SuiteContext } from '../src/harness.js';

const REAL = '/usr/bin/prometheus-pushgateway';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const OURS = join(ROOT, 'apps/pushgateway/src/main.ts');
const PASSWORD = 'bench-password';

type Impl = 'promethium' | 'pushgateway 1.5.1';

interface Target {
  impl: Impl;
  base: string;
  child: ChildProcess;
  agent: Agent;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function get(t: Target, path: string, auth?: string, body?: string, extra: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...extra, ...(auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}) };
    const req = request(`${t.base}${path}`, { method: body === undefined ? 'GET' : 'PUT', agent: t.agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function start(impl: Impl, dir: string, webConfig: string | undefined): Promise<Target> {
  const port = await freePort();
  const args = [`--web.listen-address=127.0.0.1:${port}`, '--log.level=error', ...(webConfig ? [`--web.config.file=${webConfig}`] : [])];
  const child =
    impl === 'promethium'
      ? spawn(process.execPath, ['--max-semi-space-size=2', '--import', 'tsx', '--conditions=@promethium/source', OURS, ...args], { stdio: 'ignore', cwd: ROOT })
      : spawn(REAL, [...args, `--persistence.file=${join(dir, `real-${port}.data`)}`], { stdio: 'ignore' });
  // One connection, as a scraper keeps: the numbers are per request, not per handshake.
  const t: Target = { impl, base: `http://127.0.0.1:${port}`, child, agent: new Agent({ keepAlive: true, maxSockets: 1 }) };
  const auth = webConfig ? `bench:${PASSWORD}` : undefined;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${impl} exited with ${child.exitCode}`);
    try {
      if ((await get(t, '/-/ready', auth)) === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 400) throw new Error(`${impl} did not become ready`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // A small realistic store: 10 groups of 20 series.
  for (let g = 0; g < 10; g++) {
    let body = '# TYPE job_metric gauge\n';
    for (let i = 0; i < 20; i++) body += `job_metric{series="s${i}"} ${i}\n`;
    const status = await get(t, `/metrics/job/bench/instance/i${g}`, auth, body);
    if (status >= 300) throw new Error(`${impl}: push answered ${status}`);
  }
  return t;
}

async function stop(t: Target): Promise<void> {
  t.agent.destroy();
  if (t.child.exitCode !== null) return;
  const done = new Promise((r) => t.child.once('exit', r));
  t.child.kill('SIGKILL');
  await done;
}

/** Median latency in ms of `n` sequential requests made by `one(i)`. */
async function median(n: number, one: (i: number) => Promise<number>, expect: number): Promise<number> {
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const status = await one(i);
    lat.push(performance.now() - t0);
    if (status !== expect) throw new Error(`expected HTTP ${expect}, got ${status}`);
  }
  lat.sort((a, b) => a - b);
  return lat[Math.floor(lat.length / 2)]!;
}

let uniq = 0;

async function measure(ctx: SuiteContext, impl: Impl, dir: string, webConfig: string): Promise<void> {
  const n = ctx.quick ? 20 : 600;
  const nUncached = ctx.quick ? 5 : 40;
  // Both servers run at once and the requests alternate between them, so the machine's noise
  // (other processes on 2 shared cores) falls on both sides of the comparison alike.
  const plain = await start(impl, dir, undefined);
  const secured = await start(impl, dir, webConfig);
  try {
    // start() has already logged in with this credential (the pushes), so it is cached.
    const cred = `bench:${PASSWORD}`;
    const plainLat: number[] = [];
    const authLat: number[] = [];
    const timed = async (into: number[], f: () => Promise<number>): Promise<void> => {
      const t0 = performance.now();
      if ((await f()) !== 200) throw new Error(`${impl}: /metrics did not answer 200`);
      into.push(performance.now() - t0);
    };
    for (let i = 0; i < 100; i++) {
      await get(plain, '/metrics');
      await get(secured, '/metrics', cred);
    }
    for (let i = 0; i < n; i++) {
      await timed(plainLat, () => get(plain, '/metrics'));
      await timed(authLat, () => get(secured, '/metrics', cred));
    }
    const med = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    const p = med(plainLat);
    const cached = med(authLat);
    ctx.record({ name: '/metrics, no web config', impl, value: p, unit: 'ms', note: `median of ${n} sequential requests, keep-alive, alternating with the next row` });
    ctx.record({ name: '/metrics, basic auth, cached credential', impl, value: cached, unit: 'ms', note: `median of ${n}; ${((cached / p - 1) * 100).toFixed(0)}% vs no auth` });
    const uncached = await median(nUncached, () => get(secured, '/metrics', `bench:wrong-${process.pid}-${uniq++}`), 401);
    ctx.record({ name: '/metrics, basic auth, never-seen credential (bcrypt cost 10)', impl, value: uncached, unit: 'ms', note: `median of ${nUncached}; each a new password, answered 401` });
    ctx.record({ name: 'uncached / cached request latency', impl, value: uncached / cached, unit: 'x' });
  } finally {
    await stop(plain);
    await stop(secured);
  }
  // First request of a valid credential on a fresh process (no push before it), then the next ones.
  const fresh = await startBare(impl, dir, webConfig);
  try {
    const t0 = performance.now();
    if ((await get(fresh, '/-/healthy', `bench:${PASSWORD}`)) !== 200) throw new Error(`${impl}: first login refused`);
    const first = performance.now() - t0;
    const next = await median(ctx.quick ? 10 : 100, () => get(fresh, '/-/healthy', `bench:${PASSWORD}`), 200);
    ctx.record({ name: 'first request of a valid credential', impl, value: first, unit: 'ms', note: `then median ${formatMs(next)} for the next requests with it` });
  } finally {
    await stop(fresh);
  }
}

/** /metrics of a 2000-group store (~2 MB of text) with and without Accept-Encoding: gzip, alternating. */
async function measureGzip(ctx: SuiteContext, impl: Impl, dir: string): Promise<void> {
  const t = await start(impl, dir, undefined);
  try {
    const groups = ctx.quick ? 100 : 2000;
    for (let g = 0; g < groups; g++) {
      let body = '# TYPE big_metric gauge\n';
      for (let i = 0; i < 20; i++) body += `big_metric{series="s${i}",zone="zone-${i % 3}"} ${g * 20 + i}\n`;
      if ((await get(t, `/metrics/job/big/instance/i${g}`, undefined, body)) >= 300) throw new Error(`${impl}: push refused`);
    }
    const n = ctx.quick ? 5 : 60;
    const plainLat: number[] = [];
    const gzLat: number[] = [];
    for (let i = 0; i < n + 5; i++) {
      let t0 = performance.now();
      await get(t, '/metrics');
      if (i >= 5) plainLat.push(performance.now() - t0);
      t0 = performance.now();
      await get(t, '/metrics', undefined, undefined, { 'Accept-Encoding': 'gzip' });
      if (i >= 5) gzLat.push(performance.now() - t0);
    }
    const med = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    ctx.record({ name: `/metrics of ${groups} groups x 20 series, identity`, impl, value: med(plainLat), unit: 'ms', note: `median of ${n}, alternating with gzip` });
    ctx.record({ name: `/metrics of ${groups} groups x 20 series, gzip`, impl, value: med(gzLat), unit: 'ms', note: `median of ${n}` });
  } finally {
    await stop(t);
  }
}

/** Like start() but sends nothing authenticated before the caller does (readiness via 401). */
async function startBare(impl: Impl, dir: string, webConfig: string): Promise<Target> {
  const port = await freePort();
  const args = [`--web.listen-address=127.0.0.1:${port}`, '--log.level=error', `--web.config.file=${webConfig}`];
  const child =
    impl === 'promethium'
      ? spawn(process.execPath, ['--max-semi-space-size=2', '--import', 'tsx', '--conditions=@promethium/source', OURS, ...args], { stdio: 'ignore', cwd: ROOT })
      : spawn(REAL, [...args, `--persistence.file=${join(dir, `bare-${port}.data`)}`], { stdio: 'ignore' });
  const t: Target = { impl, base: `http://127.0.0.1:${port}`, child, agent: new Agent({ keepAlive: true, maxSockets: 1 }) };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${impl} exited with ${child.exitCode}`);
    try {
      if ((await get(t, '/-/ready')) === 401) return t;
    } catch {
      // not listening yet
    }
    if (i > 400) throw new Error(`${impl} did not become ready`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export default defineSuite({
  name: 'web-auth',
  description: 'basic auth from --web.config.file: per-request cost, bcrypt once per credential (pushgateway vs Pushgateway 1.5.1)',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-webauth-'));
    try {
      // The hash as the docs make it (htpasswd -nbBC 10); bcryptjs when no Debian tool is there.
      const hash = debianBcrypt(PASSWORD, 10) ?? hashPassword(PASSWORD, 10);
      const webConfig = join(dir, 'web.yml');
      writeFileSync(webConfig, `basic_auth_users:\n  bench: ${hash}\n`);

      // In process: the Authenticator alone.
      const users = new Map([['bench', hash]]);
      const warm = new Authenticator();
      await warm.verify(users, 'bench', PASSWORD);
      await ctx.bench(
        [
          { name: 'Authenticator.verify, first check of a credential (bcrypt cost 10)', impl: 'promethium', fn: () => new Authenticator().verify(users, 'bench', PASSWORD) },
          { name: 'Authenticator.verify, cached credential', impl: 'promethium', fn: () => warm.verify(users, 'bench', PASSWORD) },
        ],
        { time: 1500, iterations: 10 },
      );

      // The cache's promise: 8 concurrent first logins, then 1000 more, cost one bcrypt run.
      const counted = new Authenticator();
      await Promise.all(Array.from({ length: 8 }, () => counted.verify(users, 'bench', PASSWORD)));
      for (let i = 0; i < 1000; i++) await counted.verify(users, 'bench', PASSWORD);
      ctx.record({ name: 'bcrypt runs for 1008 logins with one credential (8 concurrent first)', impl: 'promethium', value: counted.stats.bcryptChecks, unit: 'runs', note: `${counted.stats.cacheHits} cache hits` });

      await measure(ctx, 'promethium', dir, webConfig);
      if (existsSync(REAL)) await measure(ctx, 'pushgateway 1.5.1', dir, webConfig);
      // What a Prometheus scrape (Accept-Encoding: gzip) costs now that /metrics is gzipped.
      await measureGzip(ctx, 'promethium', dir);
      if (existsSync(REAL)) await measureGzip(ctx, 'pushgateway 1.5.1', dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
