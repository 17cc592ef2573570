import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerFlags } from './cli/server-flags.js';
import { decodeReadResponse, encodeReadRequest } from './remote/prompb.js';
import { snappyDecode, snappyEncode } from '@promethium/tsdb-core';
import { NOP_LOGGER } from './log/logger.js';
import { PromethiumServer } from './server.js';
import { startHttpTarget } from './testing/http-target.js';
import type { HttpTarget } from './testing/http-target.js';
import { waitFor } from './testing/wait.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are checked field by field below.
async function json(res: Response): Promise<any> {
  return res.json();
}

describe('PromethiumServer end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-server-'));
  const configFile = join(dir, 'prometheus.yml');
  let target: HttpTarget;
  let server: PromethiumServer;
  let base = '';
  let counter = 0;
  const goodConfig = () => `
global:
  scrape_interval: 200ms
  evaluation_interval: 500ms
  external_labels: { site: lab }
rule_files: ['rules.yml']
scrape_configs:
  - job_name: app
    static_configs: [{ targets: ['${target.address}'] }]
`;

  beforeAll(async () => {
    target = await startHttpTarget((_req, res) => {
      counter++;
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end(`# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\napp_requests_total{path="/"} ${counter}\n# TYPE app_temp gauge\napp_temp 21.5\n`);
    });
    writeFileSync(configFile, goodConfig());
    writeFileSync(
      join(dir, 'rules.yml'),
      'groups:\n  - name: app\n    rules:\n      - record: job:app_temp:avg\n        expr: avg by (job) (app_temp)\n      - alert: AppHot\n        expr: app_temp > 20\n        labels: { severity: page }\n',
    );
    const parsed = parseServerFlags([
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--web.enable-lifecycle',
      '--web.enable-admin-api',
    ]);
    server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    base = `http://127.0.0.1:${server.address().port}`;
    await waitFor(
      async () => (await json(await fetch(`${base}/api/v1/query?query=app_temp`))).data.result.length as number,
      (n: number) => n === 1,
    );
  });
  afterAll(async () => {
    await server.stop();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers health, readiness and /metrics', async () => {
    expect(await (await fetch(`${base}/-/healthy`)).text()).toBe('Prometheus Server is Healthy.\n');
    expect(await (await fetch(`${base}/-/ready`)).text()).toBe('Prometheus Server is Ready.\n');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('prometheus_config_last_reload_successful 1');
    expect(metrics).toMatch(/prometheus_tsdb_head_series \d+/);
    expect(metrics).toContain('prometheus_target_scrape_pool_targets{scrape_job="app"} 1');
  });

  it('serves instant and range queries in Prometheus shape', async () => {
    const now = Date.now() / 1000;
    const r = await json(await fetch(`${base}/api/v1/query?query=up&time=${now}`));
    expect(r.status).toBe('success');
    expect(r.data.resultType).toBe('vector');
    expect(r.data.result).toEqual([{ metric: { __name__: 'up', instance: target.address, job: 'app' }, value: [now, '1'] }]);

    const form = new URLSearchParams({ query: 'sum(app_temp)', start: String(now - 2), end: String(now), step: '1' });
    const rr = await json(
      await fetch(`${base}/api/v1/query_range`, {
        method: 'POST',
        body: form,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(rr.data.resultType).toBe('matrix');
    expect(rr.data.result[0].metric).toEqual({});
    const values = rr.data.result[0].values as unknown[];
    expect(values[values.length - 1]).toEqual([now, '21.5']);

    const scalar = await json(await fetch(`${base}/api/v1/query?query=1%2B1&time=100`));
    expect(scalar.data).toEqual({ resultType: 'scalar', result: [100, '2'] });
  });

  it('returns Prometheus error envelopes and status codes', async () => {
    const bad = await fetch(`${base}/api/v1/query?query=sum(`);
    expect(bad.status).toBe(400);
    const body = await json(bad);
    expect(body.status).toBe('error');
    expect(body.errorType).toBe('bad_data');
    expect(body.error).toMatch(/parse error/);

    const badTime = await json(await fetch(`${base}/api/v1/query?query=up&time=yesterday`));
    expect(badTime.error).toBe('invalid parameter "time": cannot parse "yesterday" to a valid timestamp');

    const exec = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('app_temp + on() group_left app_requests_total or label_replace(vector(1),"a","b","","")')}`);
    expect([200, 422]).toContain(exec.status);

    const noStep = await fetch(`${base}/api/v1/query_range?query=up&start=1&end=2`);
    expect(noStep.status).toBe(400);
    const tooMany = await json(await fetch(`${base}/api/v1/query_range?query=up&start=0&end=100000&step=1`));
    expect(tooMany.error).toMatch(/exceeded maximum resolution of 11,000 points/);

    const unknown = await fetch(`${base}/api/v1/nope`);
    expect(unknown.status).toBe(404);
  });

  it('lists series, labels and label values', async () => {
    const series = await json(await fetch(`${base}/api/v1/series?match[]=app_requests_total`));
    expect(series.data).toEqual([{ __name__: 'app_requests_total', instance: target.address, job: 'app', path: '/' }]);
    const none = await json(await fetch(`${base}/api/v1/series`));
    expect(none.error).toBe('no match[] parameter provided');
    const labels = await json(await fetch(`${base}/api/v1/labels`));
    expect(labels.data).toEqual(['__name__', 'instance', 'job', 'path']);
    const names = await json(await fetch(`${base}/api/v1/label/__name__/values`));
    expect(names.data).toEqual(expect.arrayContaining(['app_requests_total', 'app_temp', 'up', 'scrape_duration_seconds', 'scrape_series_added']));
    const jobs = await json(await fetch(`${base}/api/v1/label/job/values?match[]=up`));
    expect(jobs.data).toEqual(['app']);
    const fmt = await json(await fetch(`${base}/api/v1/format_query?query=${encodeURIComponent('sum by(job)(rate(x[5m]))')}`));
    expect(fmt.data).toBe('sum by (job) (rate(x[5m]))');
  });

  it('reports targets, pools and metadata', async () => {
    const t = await json(await fetch(`${base}/api/v1/targets`));
    const active = t.data.activeTargets[0];
    expect(active).toMatchObject({
      labels: { instance: target.address, job: 'app' },
      scrapePool: 'app',
      scrapeUrl: `http://${target.address}/metrics`,
      lastError: '',
      health: 'up',
      scrapeInterval: '200ms',
      scrapeTimeout: '200ms',
    });
    expect(active.discoveredLabels).toMatchObject({ __address__: target.address, __metrics_path__: '/metrics', __scheme__: 'http', job: 'app' });
    expect(typeof active.lastScrapeDuration).toBe('number');
    expect(t.data.droppedTargets).toEqual([]);
    expect((await json(await fetch(`${base}/api/v1/scrape_pools`))).data).toEqual({ scrapePools: ['app'] });
    const tm = await json(await fetch(`${base}/api/v1/targets/metadata?match_target=${encodeURIComponent('{job="app"}')}&metric=app_requests_total`));
    expect(tm.data).toEqual([{ target: { instance: target.address, job: 'app' }, type: 'counter', help: 'Requests served.', unit: '' }]);
    const md = await json(await fetch(`${base}/api/v1/metadata?metric=app_temp`));
    expect(md.data).toEqual({ app_temp: [{ type: 'gauge', help: '', unit: '' }] });
  });

  it('serves the status endpoints', async () => {
    const cfg = await json(await fetch(`${base}/api/v1/status/config`));
    expect(cfg.data.yaml).toContain('job_name: app');
    expect(cfg.data.yaml).toContain('scrape_interval: 200ms');
    const flags = await json(await fetch(`${base}/api/v1/status/flags`));
    expect(flags.data['web.enable-lifecycle']).toBe('true');
    expect(flags.data['query.lookback-delta']).toBe('5m');
    const rt = await json(await fetch(`${base}/api/v1/status/runtimeinfo`));
    expect(rt.data).toMatchObject({ reloadConfigSuccess: true, storageRetention: '2w1d' });
    const bi = await json(await fetch(`${base}/api/v1/status/buildinfo`));
    expect(bi.data.version).toBe('0.1.0');
    const tsdb = await json(await fetch(`${base}/api/v1/status/tsdb`));
    expect(tsdb.data.headStats.numSeries).toBeGreaterThanOrEqual(7);
    expect(tsdb.data.seriesCountByMetricName).toEqual(expect.arrayContaining([{ name: 'up', value: 1 }]));
    const wal = await json(await fetch(`${base}/api/v1/status/walreplay`));
    expect(Object.keys(wal.data as object).sort()).toEqual(['current', 'max', 'min']);
  });

  it('evaluates rule_files and serves rules and alerts', async () => {
    await waitFor(async () => (await json(await fetch(`${base}/api/v1/query?query=job:app_temp:avg`))).data.result.length as number, (n) => n === 1);
    const rules = await json(await fetch(`${base}/api/v1/rules?type=record`));
    expect(rules.data.groups[0].rules[0]).toMatchObject({ name: 'job:app_temp:avg', type: 'recording', health: 'ok' });
    const alerts = await waitFor(async () => (await json(await fetch(`${base}/api/v1/alerts`))).data.alerts as { labels: Record<string, string>; state: string }[], (a) => a.length === 1);
    expect(alerts[0]).toMatchObject({ labels: { alertname: 'AppHot', severity: 'page' }, state: 'firing' });
    expect((await fetch(`${base}/api/v1/rules?type=bogus`)).status).toBe(400);
    expect(await json(await fetch(`${base}/api/v1/query_exemplars?query=up&start=0&end=10`))).toEqual({ status: 'success', data: [] });
    expect((await fetch(`${base}/api/v1/query_exemplars?query=up(`)).status).toBe(400);
  });

  it('serves remote read; refuses remote write without its flag', async () => {
    const now = Date.now();
    const req = encodeReadRequest({
      queries: [{ startTimestampMs: now - 60_000, endTimestampMs: now, matchers: [{ type: 0, name: '__name__', value: 'app_temp' }] }],
      acceptedResponseTypes: [0],
    });
    const res = await fetch(`${base}/api/v1/read`, { method: 'POST', body: snappyEncode(req), headers: { 'Content-Type': 'application/x-protobuf' } });
    expect(res.status).toBe(200);
    const series = decodeReadResponse(snappyDecode(new Uint8Array(await res.arrayBuffer()), 1 << 26))[0]!;
    expect(series).toHaveLength(1);
    expect(series[0]!.labels).toContainEqual({ name: 'site', value: 'lab' });
    expect(series[0]!.samples.length).toBeGreaterThan(0);
    const write = await fetch(`${base}/api/v1/write`, { method: 'POST', body: new Uint8Array([0]) });
    expect(write.status).toBe(404);
  });

  it('federates the latest samples with external labels', async () => {
    const res = await fetch(`${base}/federate?match[]=${encodeURIComponent('{__name__=~"app_.*"}')}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    expect(text).toMatch(/# TYPE app_temp untyped\napp_temp\{instance="127\.0\.0\.1:\d+",job="app",site="lab"\} 21\.5 \d{13}\n/);
  });

  it('reloads: a bad config keeps the old one and is reported', async () => {
    writeFileSync(configFile, 'scrape_configs:\n  - job_name: app\n    scrape_intervall: 1s\n');
    const bad = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toMatch(/prometheus\.yml:3:5: scrape_configs\[0\]\.scrape_intervall: field scrape_intervall not found/);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('prometheus_config_last_reload_successful 0');
    expect((await json(await fetch(`${base}/api/v1/status/runtimeinfo`))).data.reloadConfigSuccess).toBe(false);
    expect((await json(await fetch(`${base}/api/v1/scrape_pools`))).data.scrapePools).toEqual(['app']);
    // Scraping went on.
    const before = counter;
    await waitFor(() => counter, (c) => c > before + 1);

    // A broken rule file fails the reload too, and nothing changes.
    writeFileSync(join(dir, 'rules.yml'), 'groups:\n  - name: app\n    rules:\n      - record: bad\n        expr: sum(\n');
    writeFileSync(configFile, goodConfig().replace('job_name: app', 'job_name: app3'));
    const badRules = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(badRules.status).toBe(500);
    expect(await badRules.text()).toMatch(/rules\.yml/);
    expect((await json(await fetch(`${base}/api/v1/scrape_pools`))).data.scrapePools).toEqual(['app']);

    writeFileSync(configFile, goodConfig().replace('job_name: app', 'job_name: app2').replace("rule_files: ['rules.yml']\n", ''));
    const good = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(good.status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('prometheus_config_last_reload_successful 1');
    expect((await json(await fetch(`${base}/api/v1/scrape_pools`))).data.scrapePools).toEqual(['app2']);
    // Data scraped under the old job is still queryable.
    const old = await json(await fetch(`${base}/api/v1/query?query=${encodeURIComponent('count_over_time(app_temp{job="app"}[1m])')}`));
    expect(Number(old.data.result[0].value[1])).toBeGreaterThan(1);
  });

  it('deletes series and snapshots through the admin API', async () => {
    const del = await fetch(`${base}/api/v1/admin/tsdb/delete_series?match[]=${encodeURIComponent('app_temp{job="app"}')}`, { method: 'POST' });
    expect(del.status).toBe(204);
    expect(await json(await fetch(`${base}/api/v1/query?query=${encodeURIComponent('count_over_time(app_temp{job="app"}[1h])')}`))).toMatchObject({
      data: { result: [] },
    });
    expect((await fetch(`${base}/api/v1/admin/tsdb/clean_tombstones`, { method: 'POST' })).status).toBe(204);
    const snap = await json(await fetch(`${base}/api/v1/admin/tsdb/snapshot`, { method: 'POST' }));
    expect(snap.data.name).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
    expect(existsSync(join(dir, 'data', 'snapshots', snap.data.name as string))).toBe(true);
  });
});

describe('lifecycle and admin flags', () => {
  it('refuses /-/reload, /-/quit and admin endpoints when not enabled, honors the route prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-server-'));
    writeFileSync(join(dir, 'p.yml'), '');
    const parsed = parseServerFlags([
      `--config.file=${join(dir, 'p.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--web.route-prefix=/prom',
    ]);
    const server = await PromethiumServer.start({ flags: parsed.values, rawFlags: parsed.raw, logger: NOP_LOGGER });
    const base = `http://127.0.0.1:${server.address().port}/prom`;
    try {
      expect((await fetch(`${base}/api/v1/status/buildinfo`)).status).toBe(200);
      const reload = await fetch(`${base}/-/reload`, { method: 'POST' });
      expect(reload.status).toBe(403);
      expect(await reload.text()).toBe('Lifecycle API is not enabled.');
      expect((await fetch(`${base}/-/quit`, { method: 'POST' })).status).toBe(403);
      const admin = await fetch(`${base}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
      expect(admin.status).toBe(500);
      expect(await admin.json()).toEqual({ status: 'error', errorType: 'unavailable', error: 'admin APIs disabled' });
      expect((await fetch(`${base}/-/healthy`)).status).toBe(200);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
