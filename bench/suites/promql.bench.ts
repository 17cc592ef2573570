// PromQL: parse speed on dashboard queries, and 1 h range queries at 15 s step over 10k
// counter series plus 1k classic histograms (10 buckets each), side by side with a real
// Prometheus 2.42 holding the same data (blocks built by promtool from OpenMetrics).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Engine, MemoryStorage, parseExpr } from '@promethium/promql';
import { Labels } from '@promethium/tsdb-core';
import { defineSuite } from '../src/harness.js';

const DASHBOARD_QUERIES = [
  'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
  'histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket{env="prod"}[5m])))',
  '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m])))',
  'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < 10',
  'topk(10, sum by (pod) (container_memory_working_set_bytes{namespace="default", container!=""}))',
  'increase(kube_pod_container_status_restarts_total[1h]) > 0',
  'predict_linear(node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"}[6h], 4 * 3600) < 0',
  'sum(up{job=~"api|web"}) by (job) == 0 or absent(up{job="api"})',
  'max_over_time(rate(process_cpu_seconds_total[1m])[30m:1m] offset 1d)',
  'label_replace(rate(errors_total[5m]), "svc", "$1", "job", "(.*)-server") * on (svc) group_left (team) team_info',
];

const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
const STEP = 15_000;
const BASE = 1_700_000_000_000;
/**
 * Samples sit 7.5 s off the query grid so no sample lies on a window edge: there Prometheus 2.42
 * (closed windows) and Prometheus 3 semantics (left-open windows, what Promethium implements)
 * differ by design, and the spot check below compares like with like.
 */
const JITTER = 7_500;

interface Dataset {
  series: number;
  histograms: number;
  /** Sample timestamps: BASE .. BASE + span. */
  span: number;
}

/** Deterministic counter increments per series so both stores hold identical data. */
function* samples(d: Dataset): Generator<[Record<string, string>, number[]]> {
  const n = d.span / STEP + 1;
  for (let i = 0; i < d.series; i++) {
    const vals: number[] = [];
    let v = 0;
    for (let k = 0; k < n; k++) vals.push((v += (i % 7) + 1 + (k % 3)));
    yield [{ __name__: 'x', job: `job${i % 10}`, instance: `host${i}` }, vals];
  }
  for (let h = 0; h < d.histograms; h++) {
    const cum = new Array<number>(BUCKETS.length).fill(0);
    const rows: number[][] = BUCKETS.map(() => []);
    for (let k = 0; k < n; k++) {
      let acc = 0;
      for (let b = 0; b < BUCKETS.length; b++) {
        acc += ((h + k + b) % 4) + 1;
        cum[b] = cum[b]! + acc;
        rows[b]!.push(cum[b]!);
      }
    }
    for (let b = 0; b < BUCKETS.length; b++) {
      yield [{ __name__: 'x_bucket', job: `job${h % 10}`, instance: `host${h}`, le: BUCKETS[b]! }, rows[b]!];
    }
  }
}

function loadMemory(d: Dataset): MemoryStorage {
  const s = new MemoryStorage();
  for (const [labels, vals] of samples(d)) {
    const l = Labels.from(labels);
    vals.forEach((v, k) => s.add(l, BASE + JITTER + k * STEP, v));
  }
  return s;
}

async function writeOpenMetrics(d: Dataset, file: string): Promise<void> {
  const out = createWriteStream(file);
  let buf = '';
  for (const [labels, vals] of samples(d)) {
    const { __name__: name, ...rest } = labels;
    const ls = Object.entries(rest)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    for (let k = 0; k < vals.length; k++) {
      buf += `${name}{${ls}} ${vals[k]} ${(BASE + JITTER + k * STEP) / 1000}\n`;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
  }
  out.write(`${buf}# EOF\n`);
  out.end();
  await once(out, 'finish');
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

async function startPrometheus(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const proc = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  proc.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { proc, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`prometheus did not become ready: ${log}`);
}

async function queryRange(url: string, q: string, start: number, end: number): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> {
  const params = new URLSearchParams({ query: q, start: String(start / 1000), end: String(end / 1000), step: String(STEP / 1000) });
  const res = await fetch(`${url}/api/v1/query_range?${params.toString()}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
  if (body.status !== 'success') throw new Error(`prometheus query failed: ${body.error ?? res.status}`);
  return body.data.result;
}

export default defineSuite({
  name: 'promql',
  description: 'PromQL parse speed and 1 h range queries over 10k series + 1k histograms vs Prometheus 2.42',
  async run(ctx) {
    await ctx.bench([
      {
        name: `parse ${DASHBOARD_QUERIES.length} dashboard queries`,
        impl: 'promethium',
        fn: () => {
          for (const q of DASHBOARD_QUERIES) parseExpr(q);
        },
        itemsPerOp: DASHBOARD_QUERIES.length,
        itemUnit: 'queries',
      },
    ]);

    const d: Dataset = ctx.quick ? { series: 500, histograms: 50, span: 65 * 60_000 } : { series: 10_000, histograms: 1_000, span: 65 * 60_000 };
    const start = BASE + 5 * 60_000;
    const end = BASE + d.span;
    const storage = loadMemory(d);
    const engine = new Engine();
    const queries = ['rate(x[5m])', 'sum(rate(x[5m]))', 'sum by (job) (rate(x[5m]))', 'histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))'];
    const size = `${d.series} series + ${d.histograms}x${BUCKETS.length} buckets, 1h@15s`;
    const opts = { time: 3000, iterations: 5, warmupTime: 500 };
    await ctx.bench(
      queries.map((q) => ({ name: `${q} (${size})`, impl: 'promethium', fn: () => engine.rangeQuery(storage, q, start, end, STEP) })),
      opts,
    );

    if (!existsSync('/usr/bin/prometheus') || !existsSync('/usr/bin/promtool')) {
      ctx.record({ name: 'prometheus 2.42 comparison', impl: 'prometheus 2.42', value: 0, unit: 'skipped', note: 'binaries not installed' });
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'promql-bench-'));
    let proc: ChildProcess | undefined;
    try {
      const om = join(dir, 'data.om');
      const t0 = performance.now();
      await writeOpenMetrics(d, om);
      const built = spawnSync('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, join(dir, 'data')], { encoding: 'utf8' });
      if (built.status !== 0) throw new Error(`promtool failed: ${built.stderr}`);
      rmSync(om);
      ctx.record({ name: 'build Prometheus blocks (OpenMetrics + promtool)', impl: 'prometheus 2.42', value: (performance.now() - t0) / 1000, unit: 's' });
      const p = await startPrometheus(dir);
      proc = p.proc;
      // Same answers from both engines (spot check on the aggregate).
      const ours = engine.rangeQuery(storage, 'sum(rate(x[5m]))', start, end, STEP).value;
      const theirs = await queryRange(p.url, 'sum(rate(x[5m]))', start, end);
      const a = ours.type === 'matrix' ? (ours.value[0]?.fs ?? []) : [];
      const b = theirs[0]?.values.map((v) => Number(v[1])) ?? [];
      const maxRel = a.reduce((m, v, k) => Math.max(m, Math.abs(v - (b[k] ?? NaN)) / Math.abs(v)), 0);
      ctx.record({
        name: 'sum(rate(x[5m])) agreement with Prometheus',
        impl: 'promethium',
        value: maxRel,
        unit: 'max rel. diff',
        note: `${a.length} vs ${b.length} points, max relative difference ${maxRel.toExponential(2)}`,
      });
      await ctx.bench(
        queries.map((q) => ({ name: `${q} (${size})`, impl: 'prometheus 2.42 (HTTP)', fn: () => queryRange(p.url, q, start, end) })),
        opts,
      );
    } finally {
      if (proc && proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([once(proc, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
