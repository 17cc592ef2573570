// The server side by side with a real Prometheus in one run: both scrape the same 200 targets x
// 1000 series every 15 s (served from this process), CPU and RSS of each are read from /proc,
// then both answer the same small dashboard of query_range requests.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineSuite } from '../src/harness.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PROMETHEUS = '/usr/bin/prometheus';
const CLK_TCK = 100;

/** One target's exposition: 400 counters, 10 histograms x 14 series, 460 gauges = 1000 series. */
function body(target: number, scrape: number): string {
  const out: string[] = ['# HELP bench_requests_total Requests.', '# TYPE bench_requests_total counter'];
  const codes = ['200', '201', '204', '301', '304', '400', '401', '404', '500', '503'];
  for (let p = 0; p < 40; p++) {
    for (let c = 0; c < codes.length; c++) {
      out.push(`bench_requests_total{path="/api/p${p}",code="${codes[c]}"} ${scrape * ((p + c + target) % 7) + p}`);
    }
  }
  out.push('# HELP bench_latency_seconds Latency.', '# TYPE bench_latency_seconds histogram');
  const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
  for (let r = 0; r < 10; r++) {
    let cum = 0;
    for (let i = 0; i < les.length; i++) {
      cum += scrape * ((r + i) % 3);
      out.push(`bench_latency_seconds_bucket{route="r${r}",le="${les[i]}"} ${cum}`);
    }
    out.push(`bench_latency_seconds_sum{route="r${r}"} ${cum * 0.12}`, `bench_latency_seconds_count{route="r${r}"} ${cum}`);
  }
  out.push('# HELP bench_gauge Gauges.', '# TYPE bench_gauge gauge');
  for (let g = 0; g < 460; g++) out.push(`bench_gauge{idx="${g}"} ${((g * 7 + scrape * 3 + target) % 1000) / 10}`);
  return out.join('\n') + '\n';
}

export async function startTargets(n: number): Promise<{ addresses: string[]; close(): void }> {
  const servers: Server[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < n; i++) {
    const counts = new Map<string, number>();
    const srv = createServer((req, res) => {
      // Each scraper sees its own monotonic counters.
      const ua = req.headers['user-agent'] ?? '';
      const k = (counts.get(ua) ?? 0) + 1;
      counts.set(ua, k);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(body(i, k));
    });
    // Exporters written in Go keep idle connections open (net/http has no idle timeout by
    // default), so scrapers reuse them; Node's 5 s default would force a new connection for every
    // 15 s scrape. PROMETHIUM_BENCH_TARGET_KEEPALIVE=node keeps Node's default.
    if (process.env.PROMETHIUM_BENCH_TARGET_KEEPALIVE !== 'node') srv.keepAliveTimeout = 120_000;
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    servers.push(srv);
    addresses.push(`127.0.0.1:${(srv.address() as AddressInfo).port}`);
  }
  return { addresses, close: () => servers.forEach((s) => s.close()) };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** utime + stime in seconds, and RSS in bytes, from /proc. */
function procStats(pid: number): { cpu: number; rss: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpu, rss: rssKb * 1024 };
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default defineSuite({
  name: 'server',
  description: 'scraping 200 targets x 1000 series every 15 s (CPU, RSS) and dashboard query_range latency, vs Prometheus 2.42',
  async run(ctx) {
    const targetsN = ctx.quick ? 20 : 200;
    const warmupMs = ctx.quick ? 20_000 : 35_000;
    const windowMs = ctx.quick ? 30_000 : 90_000;
    const withPrometheus = existsSync(PROMETHEUS);
    const dir = mkdtempSync(join(tmpdir(), 'pm-bench-server-'));
    const targets = await startTargets(targetsN);
    const config = `global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\nscrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets: [${targets.addresses.map((a) => `'${a}'`).join(', ')}]\n`;
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const procs: { impl: string; proc: ChildProcess; base: string }[] = [];
    try {
      // Production runs the compiled server (`node <flags> dist/main.js`, as docker/server.Dockerfile and
      // `pnpm --filter @promethium/server start` do): build it (turbo caches), and run it that way.
      // The tsx-from-source variant runs alongside for comparison unless PROMETHIUM_BENCH_NO_TSX=1.
      execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@promethium/server...', '--output-logs=errors-only'], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      });
      // With the node flags of `npm start` (apps/server/package.json), as every production start.
      const npmStart = (JSON.parse(readFileSync(join(ROOT, 'apps/server/package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
      const startFlags = npmStart.split(/\s+/).filter((a) => a.startsWith('--'));
      const variants: { impl: string; args: string[] }[] = [{ impl: 'promethium', args: [...startFlags, join(ROOT, 'apps/server/dist/main.js')] }];
      // Side-by-side check of V8 flags on the compiled server, e.g.
      // PROMETHIUM_BENCH_NODE_FLAGS='--max-semi-space-size=16' adds a variant run with them.
      const extraFlags = process.env.PROMETHIUM_BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
      if (extraFlags.length > 0) {
        variants.push({ impl: `promethium (${extraFlags.join(' ')})`, args: [...extraFlags, join(ROOT, 'apps/server/dist/main.js')] });
      }
      if (process.env.PROMETHIUM_BENCH_NO_TSX !== '1') {
        variants.push({
          impl: 'promethium (tsx, from source)',
          args: ['--import', 'tsx', '--conditions=@promethium/source', join(ROOT, 'apps/server/src/main.ts')],
        });
      }
      for (const [i, v] of variants.entries()) {
        const ourPort = await freePort();
        procs.push({
          impl: v.impl,
          base: `http://127.0.0.1:${ourPort}`,
          proc: spawn(
            process.execPath,
            [
              ...v.args,
              `--config.file=${join(dir, 'prometheus.yml')}`,
              `--storage.tsdb.path=${join(dir, `ours${i}`)}`,
              `--web.listen-address=127.0.0.1:${ourPort}`,
              '--log.level=warn',
            ],
            { cwd: ROOT, stdio: 'ignore' },
          ),
        });
      }
      if (withPrometheus) {
        const port = await freePort();
        procs.push({
          impl: 'prometheus 2.42',
          base: `http://127.0.0.1:${port}`,
          proc: spawn(
            PROMETHEUS,
            [
              `--config.file=${join(dir, 'prometheus.yml')}`,
              `--storage.tsdb.path=${join(dir, 'theirs')}`,
              `--web.listen-address=127.0.0.1:${port}`,
              '--log.level=warn',
            ],
            { stdio: 'ignore' },
          ),
        });
      }
      for (const p of procs) await waitReady(`${p.base}/-/ready`, 60_000);
      await sleep(warmupMs);
      const before = procs.map((p) => procStats(p.proc.pid!));
      const rss: number[][] = procs.map(() => []);
      const t0 = Date.now();
      while (Date.now() - t0 < windowMs) {
        await sleep(3000);
        procs.forEach((p, i) => rss[i]!.push(procStats(p.proc.pid!).rss));
      }
      const seconds = (Date.now() - t0) / 1000;
      procs.forEach((p, i) => {
        const after = procStats(p.proc.pid!);
        const sorted = [...rss[i]!].sort((a, b) => a - b);
        ctx.record({
          name: `CPU while scraping ${targetsN}x1000 series / 15 s`,
          impl: p.impl,
          value: (after.cpu - before[i]!.cpu) / seconds,
          unit: 'cores',
          note: `${(after.cpu - before[i]!.cpu).toFixed(2)} CPU-s over ${seconds.toFixed(0)} s`,
        });
        ctx.record({
          name: 'RSS while scraping (median)',
          impl: p.impl,
          value: sorted[sorted.length >> 1]! / 2 ** 20,
          unit: 'MiB',
          note: `max ${(sorted[sorted.length - 1]! / 2 ** 20).toFixed(0)} MiB`,
        });
      });
      // Both must have ingested the same series before the query comparison means anything.
      for (const p of procs) {
        const r = (await (await fetch(`${p.base}/api/v1/query?query=count(bench_gauge)`)).json()) as {
          data: { result: { value: [number, string] }[] };
        };
        ctx.record({ name: 'bench_gauge series ingested', impl: p.impl, value: Number(r.data.result[0]?.value[1] ?? 0), unit: 'series' });
      }

      const dashboard = [
        'sum(rate(bench_requests_total[1m]))',
        'sum by (code) (rate(bench_requests_total[1m]))',
        'topk(5, sum by (instance) (rate(bench_requests_total[1m])))',
        'histogram_quantile(0.9, sum by (le) (rate(bench_latency_seconds_bucket[1m])))',
        'avg(bench_gauge)',
        'count(up == 1)',
      ];
      const end = Math.floor(Date.now() / 1000);
      const start = end - Math.floor((warmupMs + windowMs) / 1000);
      await ctx.bench(
        procs.map((p) => ({
          name: `query_range dashboard (${dashboard.length} panels, step 15s)`,
          impl: p.impl,
          fn: async () => {
            for (const q of dashboard) {
              const params = new URLSearchParams({ query: q, start: String(start), end: String(end), step: '15' });
              const res = await fetch(`${p.base}/api/v1/query_range?${params.toString()}`);
              if (!res.ok) throw new Error(`${p.impl}: ${q}: HTTP ${res.status} ${await res.text()}`);
              await res.arrayBuffer();
            }
          },
          itemsPerOp: 1,
          itemUnit: 'dashboards',
        })),
        { time: 1000, iterations: 5 },
      );
    } finally {
      for (const p of procs) p.proc.kill('SIGKILL');
      targets.close();
      await sleep(200);
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
