import { isStaleNaN, Labels, Matcher, STALE_NAN } from '@promethium/tsdb-core';
import { describe, expect, it } from 'vitest';
import { MemoryStorage, NativeHistogramsUnsupportedError } from './memory.js';

describe('MemoryStorage', () => {
  const a = Labels.from({ __name__: 'm', x: 'a' });
  const b = Labels.from({ __name__: 'm', x: 'b' });

  it('selects sorted series with samples in [mint, maxt], keeping stale markers intact', () => {
    const s = new MemoryStorage();
    s.add(b, 0, 1);
    s.add(a, 20, 3);
    s.add(a, 0, 1);
    s.add(a, 10, STALE_NAN);
    s.add(a, 10, STALE_NAN); // same timestamp: replaced
    const q = s.querier(0, 15);
    const got = [...q.select([new Matcher('=', '__name__', 'm')])];
    expect(got.map((x) => x.labels.get('x'))).toEqual(['a', 'b']);
    const it = got[0]!.iterator();
    const seen: [number, boolean][] = [];
    while (it.next()) seen.push([it.at(), isStaleNaN(it.value())]);
    expect(seen).toEqual([
      [0, false],
      [10, true],
    ]);
    expect(q.labelNames()).toEqual(['__name__', 'x']);
    expect(q.labelValues('x', [new Matcher('!=', 'x', 'b')])).toEqual(['a']);
  });

  it('seeks forward and refuses series holding native histograms', () => {
    const s = new MemoryStorage();
    for (let t = 0; t < 100; t += 10) s.add(a, t, t);
    const it = [...s.querier(0, 1000).select([new Matcher('=', 'x', 'a')])][0]!.iterator();
    expect(it.seek(35)).toBe(true);
    expect(it.at()).toBe(40);
    expect(it.seek(1000)).toBe(false);
    s.markHistogram(b);
    expect(() => [...s.querier(0, 1).select([new Matcher('=', 'x', 'b')])]).toThrow(NativeHistogramsUnsupportedError);
    s.clear();
    expect(s.seriesCount).toBe(0);
  });
});
