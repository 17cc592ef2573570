// The scrape loop's series-cache fast path: later scrapes are parsed with the last scrape's series
// texts as hints, so known series skip name/label parsing and relabeling. These tests scrape the
// same real target several times with bodies that change between scrapes and check that what
// is stored, reported and rejected is what a cold parse would give.
import { TextSampleParser } from '@promethium/exposition';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { NOP_LOGGER } from '../log/logger.js';
import { compileRelabel } from '../relabel/relabel.js';
import { startHttpTarget } from '../testing/http-target.js';
import { TempDB } from '../testing/temp-db.js';
import { ScrapeLoop } from './scrape-loop.js';
import { ScrapeMetrics } from './scrape-metrics.js';
import { Target, populateTargetLabels } from './target.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A target serving whatever `body.text` is at the time of each scrape. */
async function setup(jobYaml = '') {
  const body = { text: '' };
  const srv = await startHttpTarget((_req, res) => {
    res.writeHead(200, { 'Content-Type': TEXT });
    res.end(body.text);
  });
  cleanups.push(() => srv.close());
  const parts = await setupFor(srv.address, jobYaml);
  const scrape = async (t: number, text: string): Promise<void> => {
    body.text = text;
    await parts.loop.scrapeOnce(t);
  };
  return { scrape, ...parts };
}

/** A scrape loop for `address` over a real TSDB in a temp dir. */
async function setupFor(address: string, jobYaml = '') {
  const storage = await TempDB.open();
  cleanups.push(() => storage.close());
  const yaml = `scrape_configs:\n  - job_name: test\n    scrape_interval: 1s\n    scrape_timeout: 500ms\n${jobYaml}`;
  const cfg = parseConfig(yaml, 'test.yml').config.scrape_configs[0]!;
  const pop = populateTargetLabels({ __address__: address }, {}, cfg, cfg.relabel_configs.map(compileRelabel));
  const target = new Target(pop.labels!, pop.discovered, cfg.job_name, cfg.params);
  const metrics = new ScrapeMetrics();
  const loop = new ScrapeLoop({
    target,
    config: cfg,
    metricRelabel: cfg.metric_relabel_configs.map(compileRelabel),
    appendable: storage,
    logger: NOP_LOGGER,
    metrics,
    offsetSeed: 0,
  });
  cleanups.unshift(() => loop.stop(false));
  return { loop, storage, target, metrics };
}

/** Samples of the one series matching, with stale markers shown as 'stale'. */
function series(storage: TempDB, name: string, match: Record<string, string> = {}): [number, number | 'stale'][] {
  const found = storage.find(name, match);
  expect(found, `${name} ${JSON.stringify(match)}`).toHaveLength(1);
  const s = found[0]!;
  return s.samples.map(([t, v], i) => [t, s.stale.has(i) ? 'stale' : v]);
}

/** The error TextSampleParser gives for the whole body (what a scrape failed with before the fast path). */
function coldError(text: string): string {
  try {
    const p = new TextSampleParser(Buffer.from(text));
    while (p.next() !== undefined);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('body parses');
}

describe('ScrapeLoop series cache', () => {
  it('follows a target whose label sets change, are reordered and inserted', async () => {
    const { scrape, loop, storage } = await setup();
    await scrape(1000, '# TYPE m counter\nm{a="1"} 1\nm{a="2"} 2\nn 3\n');
    expect(loop.cache.order.toArray().map((e) => e.key)).toEqual(['m{a="1"}', 'm{a="2"}', 'n']);
    // m{a="2"} replaced by m{a="3"} in place.
    await scrape(2000, '# TYPE m counter\nm{a="1"} 4\nm{a="3"} 5\nn 6\n');
    // A new series on top, the rest reversed, one written differently (another series text, same labels).
    await scrape(3000, 'z 0\nn 9\nm{a="3",}   8\nm{a="1"} 7\n');
    await scrape(4000, 'z 1\nn 10\nm{a="3"} 11\nm{a="1"} 12\n');
    expect(series(storage, 'm', { a: '1' })).toEqual([[1000, 1], [2000, 4], [3000, 7], [4000, 12]]);
    expect(series(storage, 'm', { a: '2' })).toEqual([[1000, 2], [2000, 'stale']]);
    expect(series(storage, 'm', { a: '3' })).toEqual([[2000, 5], [3000, 8], [4000, 11]]);
    expect(series(storage, 'n')).toEqual([[1000, 3], [2000, 6], [3000, 9], [4000, 10]]);
    expect(series(storage, 'z')).toEqual([[3000, 0], [4000, 1]]);
    expect(series(storage, 'scrape_series_added').map((s) => s[1])).toEqual([3, 1, 2, 0]);
    expect(series(storage, 'scrape_samples_scraped').map((s) => s[1])).toEqual([3, 3, 4, 4]);
    expect(loop.cache.order.toArray().map((e) => e.key)).toEqual(['z', 'n', 'm{a="3"}', 'm{a="1"}']);
    expect(loop.cache.series.get('m{a="3",}')!.labels).toBe(loop.cache.series.get('m{a="3"}')!.labels);
  });

  it('keeps the first of duplicate series in one scrape and counts the rest, scrape after scrape', async () => {
    const { scrape, storage, metrics } = await setup();
    const body = (k: number) => `a ${k}\nb ${k}\na ${k + 100}\n`;
    for (let k = 1; k <= 3; k++) await scrape(k * 1000, body(k));
    expect(series(storage, 'a')).toEqual([[1000, 1], [2000, 2], [3000, 3]]);
    expect(series(storage, 'b')).toEqual([[1000, 1], [2000, 2], [3000, 3]]);
    expect(metrics.scrapesSampleDuplicateTimestamp).toBe(3);
    expect(series(storage, 'scrape_samples_post_metric_relabeling').map((s) => s[1])).toEqual([2, 2, 2]);
  });

  it('fails a scrape with a bad line among known series with the same error as a cold parse', async () => {
    const good = '# TYPE a gauge\na{x="1"} 1\nb 2 1000\nc 3\n';
    const bad = [
      '# TYPE a gauge\na{x="1"} one\nb 2 1000\nc 3\n',
      '# TYPE a gauge\na{x="1"} 1\nb 2 1000.5\nc 3\n',
      '# TYPE a gauge\na{x="1"} 1\nb 2 1000 extra\nc 3\n',
      '# TYPE a gauge\na{x="1"} 1\nb 2 1000\nc 3',
      '# TYPE a gauge\na{x="1"} 1\na{x="1",} 1\nb 2 1000\nc{ 3\n',
      '# TYPE a gauge\na{x="1"} 1\nb 2 1000\nc 3\n# TYPE q wrongtype\n',
    ];
    for (const text of bad) {
      const { scrape, storage, target } = await setup();
      await scrape(1000, good);
      await scrape(2000, good);
      await scrape(3000, text);
      expect(target.health, text).toBe('down');
      expect(target.lastError, text).toBe(coldError(text));
      expect(series(storage, 'up').map((s) => s[1])).toEqual([1, 1, 0]);
      // Every series of the last good scrape is marked stale, nothing of the bad one is stored.
      expect(series(storage, 'a').at(-1)).toEqual([3000, 'stale']);
      expect(series(storage, 'c')).toEqual([[1000, 3], [2000, 3], [3000, 'stale']]);
      // And the next good scrape is read normally again.
      await scrape(4000, good.replace('c 3', 'c 4'));
      expect(target.health).toBe('up');
      expect(series(storage, 'c').at(-1)).toEqual([4000, 4]);
    }
  });

  it('keeps honor_labels, relabeling drops and sample_limit on cached series', async () => {
    const relabel = [
      '    honor_labels: true',
      '    sample_limit: 3',
      '    metric_relabel_configs:',
      '      - source_labels: [__name__]',
      '        regex: dropped_.*',
      '        action: drop',
      '',
    ].join('\n');
    const { scrape, storage, target } = await setup(relabel);
    const body = (k: number) => `m{job="pushed"} ${k}\ndropped_x ${k}\nm{job="other",instance=""} ${k}\n`;
    await scrape(1000, body(1));
    await scrape(2000, body(2));
    expect(series(storage, 'm', { job: 'pushed', instance: target.publicLabels.get('instance') })).toEqual([[1000, 1], [2000, 2]]);
    const other = storage.find('m', { job: 'other' });
    expect(other).toHaveLength(1);
    expect(other[0]!.labels.has('instance')).toBe(false);
    expect(storage.find('dropped_x')).toHaveLength(0);
    expect(series(storage, 'scrape_samples_post_metric_relabeling').map((s) => s[1])).toEqual([2, 2]);
    // Two more series of the same texts' neighbours push it over the limit.
    await scrape(3000, body(3) + 'p 1\nq 1\n');
    expect(target.lastError).toBe('sample limit exceeded');
    await scrape(4000, body(4));
    expect(target.health).toBe('up');
    expect(series(storage, 'm', { job: 'pushed' }).map((s) => s[1])).toEqual([1, 2, 'stale', 4]);
  });

  it('after failed scrapes evicted the cached series, marks them stale when they disappear later', async () => {
    const { scrape, loop, storage, target } = await setup();
    await scrape(1000, 'a 1\nb 1\n');
    // More failed scrapes than the cache keeps unseen series for (bad body: the parse fails).
    for (let k = 2; k <= 21; k++) await scrape(k * 1000, 'a 1\nb x\n');
    expect(target.health).toBe('down');
    expect(loop.cache.series.has('b')).toBe(false);
    await scrape(22_000, 'a 2\nb 2\n');
    await scrape(23_000, 'a 3\n');
    expect(series(storage, 'b')).toEqual([[1000, 1], [2000, 'stale'], [22_000, 2], [23_000, 'stale']]);
    expect(series(storage, 'a').slice(-2)).toEqual([[22_000, 2], [23_000, 3]]);
  });

  it('keeps series dropped by relabeling cached while they are exposed', async () => {
    const drop = '    metric_relabel_configs:\n      - source_labels: [__name__]\n        regex: dropped\n        action: drop\n';
    const { scrape, loop, storage } = await setup(drop);
    for (let k = 1; k <= 25; k++) await scrape(k * 1000, `kept ${k}\ndropped ${k}\n`);
    const e = loop.cache.series.get('dropped')!;
    expect(e.labels).toBeUndefined();
    expect(loop.cache.order.toArray()).toContain(e);
    expect(storage.find('dropped')).toHaveLength(0);
    expect(series(storage, 'kept')).toHaveLength(25);
  });

  it('gives the text parser hints only from text scrapes', async () => {
    const body = { text: '', type: TEXT };
    const srv = await startHttpTarget((_req, res) => {
      res.writeHead(200, { 'Content-Type': body.type });
      res.end(body.text);
    });
    cleanups.push(() => srv.close());
    const { loop, storage } = await setupFor(srv.address);
    body.type = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
    body.text = '# TYPE m gauge\nm{a="1"} 1\n# EOF\n';
    await loop.scrapeOnce(1000);
    expect(loop.cache.order.toArray()).toEqual([]);
    body.type = TEXT;
    body.text = '# TYPE m gauge\nm{a="1"} 2\n';
    await loop.scrapeOnce(2000);
    expect(loop.cache.order.toArray().map((e) => e.key)).toEqual(['m{a="1"}']);
    expect(series(storage, 'm')).toEqual([[1000, 1], [2000, 2]]);
  });

  it('stores the labels of cached series once, shared with storage', async () => {
    const { scrape, loop, storage } = await setup();
    await scrape(1000, 'm{path="/a/rather/long/path/value"} 1\n');
    const e = loop.cache.series.get('m{path="/a/rather/long/path/value"}')!;
    expect(e.labels).toBe(storage.db.head.getByRef(e.ref)!.labels);
  });
});
