// A real Prometheus 2.42 scrapes an app instrumented with every metric type; promtool lints
// the default output. Both skip when Debian's binaries are absent.
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Info, Registry, StateSet, Summary, collectDefaultMetrics } from '../src/index.js';
import { startDaemon, type Daemon } from './support/daemon.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';

function instrumented(): Registry {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const reqs = new Counter({ name: 'app_requests_total', help: 'Requests.', labelNames: ['method', 'code'], registers });
  reqs.inc({ method: 'GET', code: '200' }, 7);
  reqs.inc({ method: 'POST', code: '500' });
  new Gauge({ name: 'app_queue_depth', help: 'Queue "depth"\\ now.', registers }).set(3);
  const lat = new Histogram({ name: 'app_latency_seconds', help: 'Latency.', unit: 'seconds', labelNames: ['route'], buckets: [0.1, 1], registers });
  lat.observe({ route: '/a' }, 0.05);
  lat.observe({ route: '/a' }, 0.5);
  const size = new Summary({ name: 'app_payload_bytes', help: 'Payload size.', percentiles: [0.5, 0.9], registers });
  for (let i = 1; i <= 100; i++) size.observe(i * 10);
  new Info({ name: 'app_build', help: 'Build info.', labelNames: ['version'], registers }).set({ version: '1.2.3' });
  new StateSet({ name: 'app_mode', help: 'Mode.', states: ['active', 'standby'], registers }).set('active');
  return registry;
}

describe.skipIf(!existsSync(PROMETHEUS))('a real Prometheus 2.42 scrapes the instrumented app', () => {
  let app: Server;
  let prom: Daemon;
  const accepts: string[] = [];

  beforeAll(async () => {
    const registry = instrumented();
    app = createServer((req, res) => {
      accepts.push(req.headers.accept ?? '');
      registry.negotiate(req.headers.accept).then(
        ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(body),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const addr = app.address();
    const appPort = typeof addr === 'object' && addr ? addr.port : 0;
    prom = await startDaemon(
      PROMETHEUS,
      (port, dir) => {
        const cfg = join(dir, 'prometheus.yml');
        writeFileSync(
          cfg,
          `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['127.0.0.1:${appPort}']\n`,
        );
        return [`--config.file=${cfg}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`];
      },
      '/-/ready',
    );
  });

  afterAll(async () => {
    await prom?.stop();
    app?.closeAllConnections();
    await new Promise((r) => app?.close(r));
  });

  async function query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const r = await fetch(`${prom.base}/api/v1/query?query=${encodeURIComponent(q)}`);
    const j = (await r.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    expect(j.status).toBe('success');
    return j.data.result;
  }

  it('is up and every metric type arrives with the expected series', async () => {
    const deadline = Date.now() + 60_000;
    let up: Awaited<ReturnType<typeof query>> = [];
    while (Date.now() < deadline) {
      up = await query('up{job="app"}');
      if (up[0]?.value[1] === '1' && (await query('app_requests_total')).length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(up[0]?.value[1]).toBe('1');
    // Prometheus 2.42 asks for OpenMetrics first, so that is what it parsed.
    expect(accepts[0]).toMatch(/^application\/openmetrics-text/);
    const val = async (q: string) => (await query(q)).map((s) => Number(s.value[1]));
    expect(await val('app_requests_total{method="GET",code="200"}')).toEqual([7]);
    expect(await val('app_queue_depth')).toEqual([3]);
    expect(await val('app_latency_seconds_bucket{route="/a",le="0.1"}')).toEqual([1]);
    expect(await val('app_latency_seconds_bucket{route="/a",le="+Inf"}')).toEqual([2]);
    expect(await val('app_latency_seconds_count{route="/a"}')).toEqual([2]);
    const p50 = await val('app_payload_bytes{quantile="0.5"}');
    expect(Math.abs(p50[0]! - 500) / 500).toBeLessThanOrEqual(0.01);
    expect(await val('app_build_info{version="1.2.3"}')).toEqual([1]);
    expect(await val('app_mode{app_mode="active"}')).toEqual([1]);
    expect(await val('app_mode{app_mode="standby"}')).toEqual([0]);
    expect((await val('nodejs_version_info')).length).toBe(1);
    expect((await val('process_cpu_seconds_total'))[0]).toBeGreaterThan(0);
    // Prometheus 2.x stores OpenMetrics _created samples as series: the series' start time.
    const created = await val('app_requests_created');
    expect(created.length).toBe(2);
    for (const c of created) expect(Math.abs(c - Date.now() / 1000)).toBeLessThan(300);
    const targets = (await (await fetch(`${prom.base}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; lastError: string }[] };
    };
    expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
  }, 90_000);
});

describe.skipIf(!existsSync(PROMTOOL))('promtool check metrics', () => {
  const check = (text: string) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const p = execFile(PROMTOOL, ['check', 'metrics'], (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      );
      p.stdin?.end(text);
    });

  it('finds no problem in the default metrics', async () => {
    const r = new Registry();
    collectDefaultMetrics({ register: r });
    expect(await check(await r.metrics())).toEqual({ code: 0, out: '' });
  });

  it('finds no problem in every metric type with default labels', async () => {
    const r = instrumented();
    r.setDefaultLabels({ service: 'api' });
    expect(await check(await r.metrics())).toEqual({ code: 0, out: '' });
  });

  it('does flag a bad name (the check can fail)', async () => {
    const r = new Registry();
    new Counter({ name: 'requests', help: 'No _total suffix.', registers: [r] }).inc();
    const res = await check(await r.metrics());
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('counter metrics should have "_total" suffix');
  });
});
