import { describe, expect, it } from 'vitest';
import { Labels } from '../labels.js';
import { Matcher, type MatchType } from '../matcher.js';
import { MemPostings, intersect, merge, subtract } from './postings.js';

describe('postings set operations', () => {
  it('intersects, merges and subtracts sorted lists', () => {
    expect(intersect([[1, 3, 5, 7], [3, 4, 5], [0, 5, 9]])).toEqual([5]);
    expect(intersect([[1, 2], []])).toEqual([]);
    expect(merge([[1, 5], [2, 5, 9], []])).toEqual([1, 2, 5, 9]);
    expect(subtract([1, 2, 3, 4], [2, 4, 6])).toEqual([1, 3]);
  });
});

describe('MemPostings.forMatchers agrees with matching every series', () => {
  const series: Labels[] = [];
  const p = new MemPostings();
  const jobs = ['api', 'web', 'db'];
  let ref = 0;
  for (const job of jobs) {
    for (let i = 0; i < 6; i++) {
      const rec: Record<string, string> = { __name__: i % 2 ? 'up' : 'requests_total', job, instance: `host-${i}` };
      if (i % 3 === 0) rec['env'] = 'prod';
      if (i === 4) rec['env'] = 'dev\nline';
      const l = Labels.from(rec);
      series.push(l);
      p.add(++ref, l.flatView());
    }
  }
  const cases: [MatchType, string, string][][] = [
    [['=', 'job', 'api']],
    [['=', '__name__', 'up'], ['!=', 'env', 'prod']],
    [['=~', 'job', 'api|db'], ['=', 'env', '']],
    [['!~', 'env', 'prod|dev.*']],
    [['=~', 'env', '.*']],
    [['=~', 'env', '.+']],
    [['!=', 'env', '']],
    [['=~', 'instance', 'host-[0-2]'], ['!~', 'job', 'web']],
    [['=', 'nope', '']],
    [['=', 'nope', 'x']],
    [['=~', 'env', 'dev.*']],
    [['!=', 'job', 'api'], ['!=', 'job', 'web']],
  ];
  for (const c of cases) {
    const ms = c.map(([t, n, v]) => new Matcher(t, n, v));
    it(ms.join(', '), () => {
      const want: number[] = [];
      series.forEach((l, i) => {
        if (ms.every((m) => m.matches(l.get(m.name)))) want.push(i + 1);
      });
      expect([...p.forMatchers(ms)]).toEqual(want);
    });
  }

  it('deletes refs and forgets emptied values', () => {
    const q = new MemPostings();
    q.add(1, Labels.from({ a: 'x' }).flatView());
    q.add(2, Labels.from({ a: 'y', b: 'z' }).flatView());
    q.delete([2]);
    expect(q.labelNames()).toEqual(['a']);
    expect(q.labelValues('a')).toEqual(['x']);
    expect([...q.allPostings()]).toEqual([1]);
  });
});
