import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('counts observations into cumulative buckets', async () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 0.1, 5], registers: [] });
    h.observe(0.05);
    h.observe(0.1);
    h.observe(3);
    h.observe(100);
    const v = (await h.get()).values;
    expect(v.map((x) => [x.metricName, x.labels.le, x.value])).toEqual([
      ['h_bucket', 0.1, 2],
      ['h_bucket', 1, 2],
      ['h_bucket', 5, 3],
      ['h_bucket', '+Inf', 4],
      ['h_sum', undefined, 103.15],
      ['h_count', undefined, 4],
    ]);
  });

  it('uses binary search for many buckets', async () => {
    const buckets = Array.from({ length: 100 }, (_, i) => i + 1);
    const h = new Histogram({ name: 'h', help: 'h', buckets, registers: [] });
    for (let i = 0; i <= 101; i++) h.observe(i);
    const v = (await h.get()).values;
    expect(v[0]!.value).toBe(2); // 0 and 1
    expect(v[49]!.value).toBe(51);
    expect(v[100]!.value).toBe(102);
  });

  it('supports labels, zero, remove, reset and timers', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['m'], buckets: [1], registers: [] });
    h.zero({ m: 'a' });
    h.labels('b').observe(2);
    const end = h.startTimer({ m: 'c' });
    expect(end()).toBeLessThan(1);
    const end2 = h.labels('d').startTimer();
    end2();
    expect((await h.get()).values.filter((x) => x.metricName === 'h_count').map((x) => [x.labels.m, x.value])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 1],
      ['d', 1],
    ]);
    h.remove('a');
    expect((await h.get()).values.length).toBe(3 * 4);
    h.reset();
    expect((await h.get()).values).toEqual([]);
  });

  it('rejects bad values and the reserved le label', () => {
    const h = new Histogram({ name: 'h', help: 'h', registers: [] });
    expect(() => h.observe(Number.NaN)).toThrow('Value is not a valid number: NaN');
    expect(() => h.observe('1' as never)).toThrow(TypeError);
    expect(() => new Histogram({ name: 'x', help: 'h', labelNames: ['le'], registers: [] })).toThrow(
      'le is a reserved label keyword',
    );
    expect(() => new Histogram({ name: 'x', help: 'h', buckets: [1, 1], registers: [] })).toThrow('Duplicate bucket');
  });

  it('keeps one exemplar per bucket', async () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2], enableExemplars: true, registers: [] });
    h.observe({ value: 1.5, exemplarLabels: { traceId: 't1' } });
    h.observe({ value: 0.5, labels: {}, exemplarLabels: { traceId: 't2' } });
    const end = h.startTimer({}, { traceId: 't3' });
    end();
    const v = (await h.get()).values;
    expect(v[0]!.exemplar).toMatchObject({ labelSet: { traceId: 't3' } });
    expect(v[1]!.exemplar).toMatchObject({ labelSet: { traceId: 't1' }, value: 1.5 });
    expect(v[2]!.exemplar).toBeUndefined();
  });
});

describe('bad observations', () => {
  it('create no series', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], registers: [] });
    expect(() => h.observe({ a: 'x' }, Number.NaN)).toThrow(TypeError);
    expect(() => h.labels('y').observe(Infinity)).toThrow(TypeError);
    expect((await h.get()).values).toEqual([]);
  });
});
