import { describe, expect, it } from 'vitest';
import { Labels } from '../labels.js';
import { Matcher } from '../matcher.js';
import { STALE_NAN, isStaleNaN, type Querier } from '../storage.js';
import { AppendError } from './errors.js';
import { Head } from './head.js';
import { computeChunkEndTime, rangeForTimestamp } from './series.js';

const up = (job: string, extra: Record<string, string> = {}): Labels => Labels.from({ __name__: 'up', job, ...extra });

function read(q: Querier, ...ms: Matcher[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of q.select(ms)) {
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.at(), it.value()]);
    out[s.labels.toString()] = samples;
  }
  return out;
}

describe('Head appender', () => {
  it('makes samples visible on commit and drops them on rollback', async () => {
    const head = new Head();
    const app = head.appender();
    const ref = app.append(0, up('a'), 1000, 1);
    expect(app.append(ref, up('a'), 2000, 2)).toBe(ref);
    expect(read(head.querier(0, 10_000), new Matcher('=', 'job', 'a'))).toEqual({});
    await app.commit();
    app.append(ref, up('a'), 3000, 3);
    app.rollback();
    expect(read(head.querier(0, 10_000), new Matcher('=', 'job', 'a'))).toEqual({
      '{__name__="up", job="a"}': [
        [1000, 1],
        [2000, 2],
      ],
    });
    expect(head.minTime).toBe(1000);
    expect(head.maxTime).toBe(2000);
  });

  it('keeps interleaved appenders apart while they reuse sample buffers', async () => {
    const head = new Head();
    // Big enough to grow a buffer, then rolled back: its buffer goes back to the spares.
    const big = head.appender();
    for (let i = 0; i < 600; i++) big.append(0, up('big', { i: String(i) }), 1000, i);
    big.rollback();
    const a = head.appender();
    const b = head.appender();
    for (let i = 0; i < 300; i++) {
      a.append(0, up('a', { i: String(i) }), 1000, i);
      b.append(0, up('b', { i: String(i) }), 1000, -i);
    }
    await b.commit();
    const c = head.appender();
    c.append(0, up('c'), 5000, 42);
    await a.commit();
    await c.commit();
    const all = read(head.querier(0, 10_000), new Matcher('=~', 'job', 'a|b|c'));
    expect(Object.keys(all)).toHaveLength(601);
    expect(all['{__name__="up", i="299", job="a"}']).toEqual([[1000, 299]]);
    expect(all['{__name__="up", i="299", job="b"}']).toEqual([[1000, -299]]);
    expect(all['{__name__="up", job="c"}']).toEqual([[5000, 42]]);
    expect(read(head.querier(0, 10_000), new Matcher('=', 'job', 'big'))).toEqual({});
  });

  it('rejects out-of-order, duplicate and out-of-bounds samples with Prometheus wording', async () => {
    const head = new Head();
    const app = head.appender();
    app.append(0, up('a'), 10_000, 1);
    expect(() => app.append(0, up('a'), 9_000, 1)).toThrow('out of order sample');
    expect(() => app.append(0, up('a'), 10_000, 2)).toThrow('duplicate sample for timestamp');
    expect(app.append(0, up('a'), 10_000, 1)).toBeGreaterThan(0);
    await app.commit();
    const app2 = head.appender();
    expect(() => app2.append(0, up('a'), 10_000, 5)).toThrow('duplicate sample for timestamp');
    app2.append(0, up('a'), 10_000, 1); // identical re-send is accepted and ignored
    try {
      app2.append(0, up('a'), 5_000, 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppendError);
      expect((e as AppendError).kind).toBe('out_of_order');
    }
    await app2.commit();
    const app3 = head.appender();
    expect(() => app3.append(0, up('b'), 10_000 - head.chunkRange, 1)).toThrow('out of bounds');
    expect(() => app3.append(0, Labels.EMPTY, 20_000, 1)).toThrow(/empty labelset/);
    expect(() => app3.append(0, up('c'), 20_000.5, 1)).toThrow('invalid sample timestamp 20000.5: want integer milliseconds');
    expect(() => app3.append(0, up('c'), NaN, 1)).toThrow(/invalid sample timestamp NaN/);
    expect(() => app3.append(0, up('c'), Infinity, 1)).toThrow(/invalid sample timestamp Infinity/);
  });

  it('stores stale markers bit for bit', async () => {
    const head = new Head();
    const app = head.appender();
    app.append(0, up('a'), 1, 1);
    app.append(0, up('a'), 2, STALE_NAN);
    app.append(0, up('a'), 3, NaN);
    await app.commit();
    const [s] = [...head.querier(0, 10).select([new Matcher('=', 'job', 'a')])];
    const it = s!.iterator();
    it.next();
    it.next();
    expect(isStaleNaN(it.value())).toBe(true);
    it.next();
    expect(Number.isNaN(it.value()) && !isStaleNaN(it.value())).toBe(true);
  });

  it('drops at commit what another appender made out of order meanwhile', async () => {
    const head = new Head();
    const a = head.appender();
    const b = head.appender();
    a.append(0, up('x'), 100, 1);
    b.append(0, up('x'), 100, 1);
    expect(() => b.append(0, up('x'), 50, 1)).toThrow('out of order sample');
    await a.commit();
    await b.commit();
    expect(read(head.querier(0, 1000))['{__name__="up", job="x"}']).toEqual([[100, 1]]);
  });
});

describe('Head chunks', () => {
  it('cuts chunks at about 120 samples and at chunk range boundaries', async () => {
    const head = new Head();
    const app = head.appender();
    for (let t = 0; t < 4 * 3600_000; t += 15_000) app.append(0, up('a'), t, t);
    await app.commit();
    const s = head.getByLabels(up('a'))!;
    const chunks = s.chunks(-Infinity, Infinity);
    expect(chunks.length).toBe(8);
    for (const c of chunks) {
      expect(c.numSamples).toBe(120);
      expect(Math.floor(c.minT / head.chunkRange)).toBe(Math.floor(c.maxT / head.chunkRange));
    }
    const q = read(head.querier(1_000_000, 1_060_000), new Matcher('=', 'job', 'a'));
    expect(q['{__name__="up", job="a"}']).toEqual([1_005_000, 1_020_000, 1_035_000, 1_050_000].map((t) => [t, t]));
  });

  it('computes chunk boundaries as Prometheus', () => {
    expect(rangeForTimestamp(0, 7200_000)).toBe(7200_000);
    expect(rangeForTimestamp(7200_001, 7200_000)).toBe(14_400_000);
    expect(computeChunkEndTime(0, 29 * 15_000, 7200_000, 4)).toBe(1_800_000);
    expect(computeChunkEndTime(0, 7000_000, 7200_000, 4)).toBe(7200_000);
  });

  it('seeks across chunks within the query range', async () => {
    const head = new Head({ samplesPerChunk: 8 });
    const app = head.appender();
    for (let t = 0; t < 200; t++) app.append(0, up('a'), t * 10, t);
    await app.commit();
    const [s] = [...head.querier(300, 1500).select([new Matcher('=', 'job', 'a')])];
    const it = s!.iterator();
    expect(it.seek(0)).toBe(true);
    expect(it.at()).toBe(300);
    expect(it.seek(777)).toBe(true);
    expect(it.at()).toBe(780);
    expect(it.next()).toBe(true);
    expect(it.at()).toBe(790);
    expect(it.seek(1500)).toBe(true);
    expect(it.next()).toBe(false);
    expect(s!.iterator().seek(1501)).toBe(false);
  });

  it('truncates old chunks and empty series', async () => {
    const head = new Head();
    const app = head.appender();
    for (let t = 0; t < 3 * 3600_000; t += 60_000) app.append(0, up('a'), t, 1);
    app.append(0, up('old'), 1000, 1);
    await app.commit();
    const deleted = head.truncate(2 * 3600_000);
    expect(deleted).toEqual([2]);
    expect(head.numSeries).toBe(1);
    expect(head.minTime).toBeGreaterThanOrEqual(2 * 3600_000 - 3600_000);
    expect(head.querier(0, Infinity).labelValues('job')).toEqual(['a']);
    expect(() => head.appender().append(0, up('b'), 1000, 1)).toThrow('out of bounds');
  });
});

describe('Head querier', () => {
  it('sorts series by labels and filters label names and values by matchers', async () => {
    const head = new Head();
    const app = head.appender();
    app.append(0, up('z'), 1, 1);
    app.append(0, up('a', { zone: 'eu' }), 1, 1);
    app.append(0, Labels.from({ __name__: 'other', job: 'm' }), 1, 1);
    await app.commit();
    const q = head.querier(0, 10);
    expect([...q.select([new Matcher('=', '__name__', 'up')])].map((s) => s.labels.get('job'))).toEqual(['a', 'z']);
    expect(q.labelNames()).toEqual(['__name__', 'job', 'zone']);
    expect(q.labelNames([new Matcher('=', 'job', 'm')])).toEqual(['__name__', 'job']);
    expect(q.labelValues('job', [new Matcher('=', '__name__', 'up')])).toEqual(['a', 'z']);
    expect(head.querier(100, 200).labelNames()).toEqual([]);
  });

  it('keeps a consistent view while appends continue', async () => {
    const head = new Head();
    const app = head.appender();
    for (let t = 0; t < 50; t++) app.append(0, up('a'), t, t);
    await app.commit();
    const series = [...head.querier(0, 1000).select([new Matcher('=', 'job', 'a')])];
    const app2 = head.appender();
    for (let t = 50; t < 400; t++) app2.append(0, up('a'), t, t);
    await app2.commit();
    const it = series[0]!.iterator();
    let n = 0;
    while (it.next()) n++;
    expect(n).toBe(50);
  });

  it('reports cardinality statistics', async () => {
    const head = new Head();
    const app = head.appender();
    for (let i = 0; i < 5; i++) app.append(0, up('a', { instance: `i${i}` }), 1, 1);
    app.append(0, Labels.from({ __name__: 'x', job: 'a' }), 5, 1);
    await app.commit();
    const st = head.stats(2);
    expect(st.headStats).toMatchObject({ numSeries: 6, chunkCount: 6, minTime: 1, maxTime: 5 });
    expect(st.seriesCountByMetricName).toEqual([
      { name: 'up', value: 5 },
      { name: 'x', value: 1 },
    ]);
    expect(st.labelValueCountByLabelName[0]).toEqual({ name: 'instance', value: 5 });
    expect(st.seriesCountByLabelValuePair[0]).toEqual({ name: 'job=a', value: 6 });
    expect(st.memoryInBytesByLabelName.find((s) => s.name === 'job')).toBeUndefined();
  });
});
