import { describe, expect, it } from 'vitest';
import { QuantileWindow } from './quantile-window.js';
import { Summary } from './summary.js';

describe('Summary', () => {
  it('reports quantiles, sum and count in prom-client shape', async () => {
    const s = new Summary({ name: 's', help: 'h', percentiles: [0.5, 0.9], registers: [] });
    for (let i = 1; i <= 1000; i++) s.observe(i);
    const v = (await s.get()).values;
    expect(v[0]!.labels).toEqual({ quantile: 0.5 });
    expect(Math.abs(v[0]!.value - 500) / 500).toBeLessThanOrEqual(0.01);
    expect(Math.abs(v[1]!.value - 900) / 900).toBeLessThanOrEqual(0.01);
    expect(v[2]).toEqual({ metricName: 's_sum', labels: {}, value: 500500 });
    expect(v[3]).toEqual({ metricName: 's_count', labels: {}, value: 1000 });
  });

  it('reports 0 for an empty summary and zeroes on reset', async () => {
    const s = new Summary({ name: 's', help: 'h', labelNames: ['a'], percentiles: [0.5], registers: [] });
    s.labels('x').observe(5);
    s.reset();
    expect((await s.get()).values.map((x) => x.value)).toEqual([0, 0, 0]);
    expect(() => new Summary({ name: 'q', help: 'h', labelNames: ['quantile'], registers: [] })).toThrow(
      'quantile is a reserved label keyword',
    );
    expect(() => new Summary({ name: 'q', help: 'h', percentiles: [1.5], registers: [] })).toThrow(RangeError);
  });

  it('times observations', async () => {
    const s = new Summary({ name: 's', help: 'h', labelNames: ['a'], registers: [] });
    s.startTimer({ a: 'x' })();
    s.labels('y').startTimer()();
    expect((await s.get()).values.filter((x) => x.metricName === 's_count').map((x) => x.value)).toEqual([1, 1]);
  });

  it('prunes aged series when asked', async () => {
    const s = new Summary({
      name: 's',
      help: 'h',
      labelNames: ['a'],
      maxAgeSeconds: 0.05,
      ageBuckets: 1,
      pruneAgedBuckets: true,
      registers: [],
    });
    s.observe({ a: 'x' }, 1);
    expect((await s.get()).values.length).toBe(9);
    await new Promise((r) => setTimeout(r, 80));
    expect((await s.get()).values.length).toBe(0);
  });
});

describe('QuantileWindow', () => {
  it('forgets observations older than maxAge, one age bucket at a time', () => {
    let now = 0;
    const w = new QuantileWindow(10, 5, 0.01, () => now);
    for (let i = 0; i < 100; i++) w.add(1000); // t=0
    now = 4000;
    for (let i = 0; i < 100; i++) w.add(1); // t=4s
    expect(w.size()).toBe(200);
    const [lo, hi] = w.quantiles([0.25, 0.75]);
    expect(Math.abs(lo! - 1)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(hi! - 1000)).toBeLessThanOrEqual(10);
    now = 10000; // the t=0 slot ages out
    expect(w.size()).toBe(100);
    expect(Math.round(w.quantiles([0.99])[0]!)).toBe(1);
    now = 100000; // idle longer than the window
    expect(w.size()).toBe(0);
  });

  it('is unbounded without maxAgeSeconds', () => {
    let now = 0;
    const w = new QuantileWindow(undefined, undefined, 0.01, () => now);
    w.add(3);
    now = 1e9;
    expect(w.size()).toBe(1);
  });
});

describe('QuantileWindow accuracy', () => {
  it('matches exact quantiles of the observations inside the window within the bound', () => {
    let now = 0;
    let seed = 9;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const slots = 4;
    const w = new QuantileWindow(60, slots, 0.01, () => now);
    const batches: number[][] = [];
    for (let b = 0; b < 12; b++) {
      // Each batch is one age bucket (15 s) of observations, drifting upwards over time.
      const batch = Array.from({ length: 2000 }, () => (b + 1) * 10 * -Math.log(1 - rnd()));
      for (const v of batch) w.add(v);
      batches.push(batch);
      const inside = batches.slice(-slots).flat().sort((x, y) => x - y);
      expect(w.size()).toBe(inside.length);
      const qs = [0.5, 0.9, 0.99];
      const got = w.quantiles(qs);
      qs.forEach((q, i) => {
        const exact = inside[Math.floor(q * (inside.length - 1))]!;
        expect(Math.abs(got[i]! - exact)).toBeLessThanOrEqual(0.01 * exact);
      });
      now += 15_000;
    }
  });
});
