// Pushgateway throughput, scrape latency and memory: Promethium's pushgateway against the real
// Prometheus Pushgateway (Debian 1.5.1, /usr/bin/prometheus-pushgateway) in the same run. Both
// run as child processes on 127.0.0.1 and get the same bodies from the same keep-alive client.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineSuite, formatMs, type SuiteContext } from '../src/harness.js';

const REAL = '/usr/bin/prometheus-pushgateway';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const OURS = join(ROOT, 'apps/pushgateway/dist/main.js');

/** Ours runs as shipped: compiled JS (the published bin), not through the tsx loader. */
function buildOurs(): void {
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  for (const pkg of ['packages/exposition', 'apps/pushgateway']) {
    const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, pkg, 'tsconfig.build.json')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building ${pkg} failed: ${r.stdout}${r.stderr}`);
  }
}
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

interface Target {
  impl: string;
  base: string;
  child: ChildProcess;
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

/** One request; the body is decoded only when it is short (a scrape's 15 MB is just counted). */
function http(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; bytes: number; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes < 65536) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), bytes, type: res.headers['content-type'] ?? '' }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`${base}: process exited with ${child.exitCode}`);
    try {
      if ((await http('GET', `${base}/-/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${base} did not become ready`);
}

async function start(impl: 'promethium' | 'pushgateway 1.5.1', file: string, extra: string[] = []): Promise<Target> {
  const port = await freePort();
  const args = [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${file}`, '--persistence.interval=1h', '--log.level=error', ...extra];
  const child =
    impl === 'promethium'
      ? // The node flags of the bin's shebang line, as `promethium-pushgateway` runs it.
        spawn(process.execPath, ['--max-semi-space-size=2', '--expose-gc', OURS, ...args], { stdio: 'ignore' })
      : spawn(REAL, args, { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitReady(base, child);
  return { impl, base, child };
}

async function stop(t: Target): Promise<void> {
  if (t.child.exitCode !== null) return;
  const done = new Promise((r) => t.child.once('exit', r));
  t.child.kill('SIGTERM');
  await done;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A body of `families` gauges x `perFamily` series. */
function body(families: number, perFamily: number, seed: number): string {
  let s = '';
  for (let f = 0; f < families; f++) {
    s += `# HELP bench_metric_${f} Benchmark gauge ${f}.\n# TYPE bench_metric_${f} gauge\n`;
    for (let i = 0; i < perFamily; i++) s += `bench_metric_${f}{series="s${i}",zone="z${i % 3}"} ${seed + i * 0.25}\n`;
  }
  return s;
}
const BODY50 = body(5, 10, 1);
const BODY20 = body(2, 10, 2);

/** Pushes for `ms` with `concurrency` requests in flight; returns pushes/s and the first failure. */
async function load(base: string, path: (i: number) => string, payload: string, ms: number, concurrency: number, maxPushes = Infinity): Promise<{ rate: number; n: number; failure?: string }> {
  let next = 0;
  let failure: string | undefined;
  const started = performance.now();
  const end = started + ms;
  const worker = async (): Promise<void> => {
    while (performance.now() < end && next < maxPushes && failure === undefined) {
      const i = next++;
      const r = await http('PUT', `${base}${path(i)}`, payload);
      if (r.status >= 300) failure = `HTTP ${r.status}: ${r.body.slice(0, 200)}`;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { rate: next / seconds, n: next, ...(failure !== undefined ? { failure } : {}) };
}

async function measurePushes(ctx: SuiteContext, t: Target, name: string, path: (i: number) => string, payload: string, ms: number): Promise<void> {
  const r = await load(t.base, path, payload, ms, 8);
  if (r.failure) throw new Error(`${t.impl} ${name}: ${r.failure}`);
  ctx.record({ name, impl: t.impl, value: r.rate, unit: 'pushes/s', note: `${r.n} pushes in ${(ms / 1000).toFixed(1)} s, 8 in flight` });
}

/** What Prometheus 2.42 sends: OpenMetrics first. The real Pushgateway answers text anyway. */
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

async function measureScrape(ctx: SuiteContext, t: Target, groups: number, times: number, accept?: string): Promise<void> {
  const lat: number[] = [];
  let bytes = 0;
  let type = '';
  for (let i = 0; i < times; i++) {
    // Scrapers come every few seconds, not back to back: leave both servers a pause to settle.
    await new Promise((r) => setTimeout(r, ctx.quick ? 50 : 700));
    const t0 = performance.now();
    const r = await http('GET', `${t.base}/metrics`, undefined, accept ? { Accept: accept } : {});
    lat.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`${t.impl} /metrics: HTTP ${r.status}`);
    type = r.type.split(';')[0] ?? '';
    bytes = r.bytes;
  }
  lat.sort((a, b) => a - b);
  const median = lat[Math.floor(lat.length / 2)]!;
  if (accept) {
    ctx.record({ name: `GET /metrics (Prometheus Accept), ${groups} groups`, impl: t.impl, value: median, unit: 'ms', note: `median of ${times}, 0.7 s apart (${formatMs(lat[0]!)}..${formatMs(lat[lat.length - 1]!)}), ${(bytes / 1e6).toFixed(1)} MB ${type}` });
    ctx.record({ name: `RSS after those scrapes too`, impl: t.impl, value: rssMiB(t.child.pid!), unit: 'MiB', note: 'ours caches OpenMetrics lines once asked' });
    return;
  }
  ctx.record({ name: `GET /metrics, ${groups} groups x 20 series`, impl: t.impl, value: median, unit: 'ms', note: `median of ${times}, 0.7 s apart (${formatMs(lat[0]!)}..${formatMs(lat[lat.length - 1]!)}), ${(bytes / 1e6).toFixed(1)} MB body` });
  ctx.record({ name: `RSS with ${groups} groups x 20 series`, impl: t.impl, value: rssMiB(t.child.pid!), unit: 'MiB', note: 'VmRSS after the scrapes' });
}

export default defineSuite({
  name: 'pushgateway',
  description: 'push throughput, /metrics latency and RSS vs the real Pushgateway 1.5.1',
  async run(ctx) {
    buildOurs();
    const dir = mkdtempSync(join(tmpdir(), 'pg-bench-'));
    const impls: ('promethium' | 'pushgateway 1.5.1')[] = existsSync(REAL) ? ['promethium', 'pushgateway 1.5.1'] : ['promethium'];
    const seconds = ctx.quick ? 0.5 : 3;
    const groups = ctx.quick ? 500 : 10_000;
    try {
      for (const impl of impls) {
        const file = join(dir, `${impl.replace(/\W/g, '_')}.data`);
        // 1) one group, 2) a new group each time, on a fresh instance.
        let t = await start(impl, join(dir, 'scratch-' + impl.replace(/\W/g, '_')));
        // Warm-up (JIT for Node, connection pool for both), not recorded.
        await load(t.base, () => '/metrics/job/warmup', BODY50, seconds * 700, 8);
        await http('DELETE', `${t.base}/metrics/job/warmup`);
        await measurePushes(ctx, t, 'push 50 series, same group', () => '/metrics/job/bench/instance/one', BODY50, seconds * 1000);
        await measurePushes(ctx, t, 'push 50 series, new group each time', (i) => `/metrics/job/fresh/instance/n${i}`, BODY50, seconds * 1000);
        await stop(t);
        // 3) prefill groups x 20 series. The real one checks every group on every push, so it is
        // prefilled with the check off, persisted, and restarted with the check on.
        t = await start(impl, file, impl === 'promethium' ? [] : ['--push.disable-consistency-check']);
        const fill = await load(t.base, (i) => `/metrics/job/bench/instance/g${i}`, BODY20, 600_000, 8, groups);
        if (fill.failure || fill.n !== groups) throw new Error(`${impl} prefill: ${fill.failure ?? fill.n}`);
        if (impl !== 'promethium') {
          await stop(t);
          t = await start(impl, file);
        }
        await measureScrape(ctx, t, groups, ctx.quick ? 3 : 7);
        await measureScrape(ctx, t, groups, ctx.quick ? 3 : 5, PROMETHEUS_ACCEPT);
        await measurePushes(ctx, t, `push 50 series, new group, ${groups} groups stored`, (i) => `/metrics/job/bench/instance/new${i}`, BODY50, seconds * 1000);
        await measurePushes(ctx, t, `push 50 series, same group, ${groups} groups stored`, () => '/metrics/job/bench/instance/g1', BODY50, seconds * 1000);
        await stop(t);
      }
    } finally {
      agent.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
