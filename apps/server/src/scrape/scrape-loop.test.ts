import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { SCRAPE_ACCEPT_HEADER } from '@promethium/exposition';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { NOP_LOGGER } from '../log/logger.js';
import { compileRelabel } from '../relabel/relabel.js';
import { freePort, startHttpTarget } from '../testing/http-target.js';
import type { HttpTarget } from '../testing/http-target.js';
import { TempDB } from '../testing/temp-db.js';
import { ScrapeLoop } from './scrape-loop.js';
import { ScrapeMetrics } from './scrape-metrics.js';
import { Target, populateTargetLabels } from './target.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function target(handler: Parameters<typeof startHttpTarget>[0]): Promise<HttpTarget> {
  const t = await startHttpTarget(handler);
  cleanups.push(() => t.close());
  return t;
}

async function loopFor(address: string, jobYaml = '') {
  const storage = await TempDB.open();
  cleanups.push(() => storage.close());
  const yaml = `scrape_configs:\n  - job_name: test\n    scrape_interval: 1s\n    scrape_timeout: 500ms\n${jobYaml}`;
  const cfg = parseConfig(yaml, 'test.yml').config.scrape_configs[0]!;
  const pop = populateTargetLabels({ __address__: address }, { env: 'dev' }, cfg, cfg.relabel_configs.map(compileRelabel));
  const t = new Target(pop.labels!, pop.discovered, cfg.job_name, cfg.params);
  const metrics = new ScrapeMetrics();
  const loop = new ScrapeLoop({
    target: t,
    config: cfg,
    metricRelabel: cfg.metric_relabel_configs.map(compileRelabel),
    appendable: storage,
    logger: NOP_LOGGER,
    metrics,
    offsetSeed: 0,
  });
  cleanups.unshift(() => loop.stop(false));
  return { loop, storage, target: t, metrics };
}

function values(storage: TempDB, name: string, match: Record<string, string> = {}): number[] {
  const found = storage.find(name, match);
  expect(found, `${name} ${JSON.stringify(match)}`).toHaveLength(1);
  return found[0]!.samples.map((s) => s[1]);
}

describe('ScrapeLoop', () => {
  it('scrapes, attaches target labels, stores metadata and the synthetic series', async () => {
    const body = '# HELP reqs_total Requests.\n# TYPE reqs_total counter\nreqs_total{code="200",job="exposed"} 5\nreqs_total{code="500"} 1\n# TYPE temp gauge\ntemp 21.5\n';
    const srv = await target((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end(body);
    });
    const { loop, storage, target: t } = await loopFor(srv.address);
    await loop.scrapeOnce(1_000_000);
    expect(srv.requests[0]!.headers.accept).toBe(SCRAPE_ACCEPT_HEADER);
    expect(srv.requests[0]!.headers['x-prometheus-scrape-timeout-seconds']).toBe('0.5');
    const base = { job: 'test', instance: srv.address, env: 'dev' };
    expect(storage.find('reqs_total', { code: '200' })[0]!.labels.toObject()).toEqual({
      __name__: 'reqs_total',
      code: '200',
      exported_job: 'exposed',
      ...base,
    });
    expect(storage.find('temp')[0]!.samples).toEqual([[1_000_000, 21.5]]);
    expect(values(storage, 'up', base)).toEqual([1]);
    expect(values(storage, 'scrape_samples_scraped')).toEqual([3]);
    expect(values(storage, 'scrape_samples_post_metric_relabeling')).toEqual([3]);
    expect(values(storage, 'scrape_series_added')).toEqual([3]);
    expect(values(storage, 'scrape_duration_seconds')[0]).toBeGreaterThan(0);
    expect(t.health).toBe('up');
    expect(t.lastError).toBe('');
    expect(t.metadata.get('reqs_total')).toEqual({ type: 'counter', help: 'Requests.', unit: '' });
    expect(t.metadata.get('temp')?.type).toBe('gauge');

    await loop.scrapeOnce(1_001_000);
    expect(values(storage, 'scrape_series_added')).toEqual([3, 0]);
    expect(storage.find('temp')[0]!.samples).toEqual([
      [1_000_000, 21.5],
      [1_001_000, 21.5],
    ]);
  });

  it('writes staleness markers for series that disappear', async () => {
    let body = 'a 1\nb 2\n';
    const srv = await target((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end(body);
    });
    const { loop, storage } = await loopFor(srv.address);
    await loop.scrapeOnce(1000);
    body = 'a 1\n';
    await loop.scrapeOnce(2000);
    const b = storage.find('b')[0]!;
    expect(b.samples[0]).toEqual([1000, 2]);
    expect(b.samples[1]![0]).toBe(2000);
    expect(b.stale).toEqual(new Set([1]));
    // Stays absent: no second marker.
    await loop.scrapeOnce(3000);
    expect(storage.find('b')[0]!.samples).toHaveLength(2);
    expect(storage.find('a')[0]!.samples).toHaveLength(3);
  });

  it('honors labels and timestamps when configured', async () => {
    const srv = await target((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('m{job="pushed",instance=""} 1 500\n');
    });
    const { loop, storage } = await loopFor(srv.address, '    honor_labels: true\n');
    await loop.scrapeOnce(1000);
    const s = storage.find('m')[0]!;
    expect(s.labels.get('job')).toBe('pushed');
    // Present-but-empty blocks the target label, as in Prometheus 2.42 (checked against the real
    // binary): the pushgateway exposes instance="" so pushed series carry no scraper instance.
    expect(s.labels.has('instance')).toBe(false);
    expect(s.samples).toEqual([[500, 1]]);
  });

  it('accepts gzip and normalizes le/quantile like Prometheus 3', async () => {
    const body = '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n# TYPE s summary\ns{quantile="0.5"} 1\n';
    const srv = await target((req, res) => {
      expect(req.headers['accept-encoding']).toBe('gzip');
      res.writeHead(200, { 'Content-Type': TEXT, 'Content-Encoding': 'gzip' });
      res.end(gzipSync(body));
    });
    const { loop, storage, target: t } = await loopFor(srv.address);
    await loop.scrapeOnce(1000);
    expect(t.lastError).toBe('');
    expect(storage.find('h_bucket').map((s) => s.labels.get('le')).sort()).toEqual(['+Inf', '1.0']);
    expect(storage.find('s')[0]!.labels.get('quantile')).toBe('0.5');
  });

  it('applies metric_relabel_configs and sample_limit', async () => {
    const srv = await target((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('go_x 1\na 1\nb 2\nc 3\n');
    });
    const relabel = '    metric_relabel_configs:\n      - source_labels: [__name__]\n        regex: go_.*\n        action: drop\n';
    const { loop, storage } = await loopFor(srv.address, relabel);
    await loop.scrapeOnce(1000);
    expect(storage.find('go_x')).toHaveLength(0);
    expect(values(storage, 'scrape_samples_scraped')).toEqual([4]);
    expect(values(storage, 'scrape_samples_post_metric_relabeling')).toEqual([3]);

    const limited = await loopFor(srv.address, `${relabel}    sample_limit: 2\n`);
    await limited.loop.scrapeOnce(1000);
    expect(limited.storage.find('a')[0]?.samples ?? []).toEqual([]);
    expect(values(limited.storage, 'up')).toEqual([0]);
    expect(limited.target.lastError).toBe('sample limit exceeded');
    expect(limited.metrics.scrapesExceededSampleLimit).toBe(1);
  });

  it('enforces label limits', async () => {
    const srv = await target((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('m{a="1",b="2",c="3"} 1\n');
    });
    const { loop, target: t } = await loopFor(srv.address, '    label_limit: 4\n');
    await loop.scrapeOnce(1000);
    expect(t.lastError).toMatch(/^label_limit exceeded \(metric: m, number of labels: 7, limit: 4\)$/);
    expect(t.health).toBe('down');
  });

  describe('failing targets give up 0, the error, and staleness for what they had', () => {
    const cases: [string, string, (res: ServerResponse) => void, RegExp][] = [
      ['slow', '', (res) => setTimeout(() => res.end('a 1\n'), 1500), /context deadline exceeded/],
      ['huge', '    body_size_limit: 1KB\n', (res) => {
        res.writeHead(200, { 'Content-Type': TEXT });
        res.end(`big{x="${'y'.repeat(4000)}"} 1\n`);
      }, /body size limit exceeded/],
      ['malformed', '', (res) => {
        res.writeHead(200, { 'Content-Type': TEXT });
        res.end('a 1\nthis is { not valid\n');
      }, /text parse error at 2:6/],
      ['wrong content type', '', (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      }, /received unsupported Content-Type "application\/json" and no fallback_scrape_protocol/],
      ['HTTP 500', '', (res) => {
        res.writeHead(500);
        res.end('boom');
      }, /server returned HTTP status 500 Internal Server Error/],
    ];
    for (const [name, extra, fail, re] of cases) {
      it(name, async () => {
        let good = true;
        const srv = await target((_req, res) => {
          if (good) {
            res.writeHead(200, { 'Content-Type': TEXT });
            res.end('a 1\n');
          } else fail(res);
        });
        const { loop, storage, target: t } = await loopFor(srv.address, extra);
        await loop.scrapeOnce(1000);
        good = false;
        await loop.scrapeOnce(2000);
        expect(t.health).toBe('down');
        expect(t.lastError).toMatch(re);
        expect(values(storage, 'up')).toEqual([1, 0]);
        const a = storage.find('a')[0]!;
        expect(a.samples).toHaveLength(2);
        expect(a.stale).toEqual(new Set([1]));
      });
    }

    it('unreachable', async () => {
      const port = await freePort();
      const { loop, storage, target: t } = await loopFor(`127.0.0.1:${port}`);
      await loop.scrapeOnce(1000);
      expect(t.lastError).toBe(`Get "http://127.0.0.1:${port}/metrics": dial tcp 127.0.0.1:${port}: connect: connection refused`);
      expect(values(storage, 'up')).toEqual([0]);
      expect(values(storage, 'scrape_samples_scraped')).toEqual([0]);
    });

    it('uses fallback_scrape_protocol when the Content-Type is missing', async () => {
      const srv = await target((_req, res) => res.end('a 1\n'));
      const { loop, target: t } = await loopFor(srv.address, '    fallback_scrape_protocol: PrometheusText0.0.4\n');
      await loop.scrapeOnce(1000);
      expect(t.lastError).toBe('');
    });
  });

  it('marks everything stale when the target goes away', async () => {
    const srv = await target((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('a 1\n');
    });
    const { loop, storage } = await loopFor(srv.address);
    await loop.scrapeOnce(1000);
    await loop.stop(true);
    expect(storage.find('a')[0]!.stale).toEqual(new Set([1]));
    expect(storage.find('up')[0]!.stale).toEqual(new Set([1]));
  });

  it('keeps timestamps exactly on the per-target grid', async () => {
    const srv = await target((_req, res) => {
      res.writeHead(200, { 'Content-Type': TEXT });
      res.end('a 1\n');
    });
    const { loop, storage, target: t } = await loopFor(srv.address);
    // Override to a fast interval via the label-derived fields is not possible; use a dedicated config.
    expect(t.interval).toBe(1000);
    const offset = loop.offset();
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(1000);
    loop.start();
    await new Promise((r) => setTimeout(r, 2300));
    await loop.stop(false);
    const ts = storage.find('up')[0]!.samples.map((s) => s[0]);
    expect(ts.length).toBeGreaterThanOrEqual(2);
    for (const x of ts) expect(((x % 1000) + 1000) % 1000).toBe(offset);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(1000);
  });
});

describe('ScrapeLoop formats', () => {
  it('scrapes OpenMetrics, skipping _created series, with units in metadata', async () => {
    const body = '# TYPE c counter\n# UNIT c seconds\n# HELP c Help.\nc_total 3\nc_created 1700000000.5\n# TYPE g gauge\ng{a="b"} 1.5 1700000000.123\n# EOF\n';
    const srv = await target((req, res) => {
      expect(req.headers.accept).toMatch(/^application\/openmetrics-text;version=1\.0\.0/);
      res.writeHead(200, { 'Content-Type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
      res.end(body);
    });
    const { loop, storage, target: t } = await loopFor(srv.address);
    await loop.scrapeOnce(1_700_000_100_000);
    expect(t.lastError).toBe('');
    expect(storage.find('c_total')[0]!.samples).toEqual([[1_700_000_100_000, 3]]);
    expect(storage.find('c_created')).toHaveLength(0);
    expect(storage.find('g')[0]!.samples).toEqual([[1_700_000_000_123, 1.5]]);
    expect(t.metadata.get('c')).toEqual({ type: 'counter', help: 'Help.', unit: 'seconds' });
  });

  it('scrapes protobuf when asked for it', async () => {
    const { encodeProtobuf } = await import('@promethium/exposition');
    const bytes = encodeProtobuf([{ name: 'p', type: 'gauge', help: 'P.', samples: [{ name: 'p', labels: { x: 'y' }, value: 7 }] }]);
    const srv = await target((req, res) => {
      expect(req.headers.accept).toMatch(/^application\/vnd\.google\.protobuf/);
      res.writeHead(200, { 'Content-Type': 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited' });
      res.end(bytes);
    });
    const { loop, storage, target: t } = await loopFor(srv.address, '    scrape_protocols: [PrometheusProto, PrometheusText0.0.4]\n');
    await loop.scrapeOnce(1000);
    expect(t.lastError).toBe('');
    expect(storage.find('p', { x: 'y' })[0]!.samples).toEqual([[1000, 7]]);
    expect(t.metadata.get('p')).toEqual({ type: 'gauge', help: 'P.', unit: '' });
  });
});
