import { describe, expect, it } from 'vitest';
import { Head } from '../head/head.js';
import { Labels } from '../labels.js';
import { Matcher } from '../matcher.js';
import { MergeQuerier } from './merge.js';

async function headWith(points: [string, number, number][]): Promise<Head> {
  const h = new Head();
  const app = h.appender();
  for (const [job, t, v] of points) app.append(0, Labels.from({ job }), t, v);
  await app.commit();
  return h;
}

describe('MergeQuerier', () => {
  it('merges sorted series and their samples, the first source winning ties', async () => {
    const a = await headWith([
      ['b', 1, 10],
      ['b', 3, 30],
      ['c', 1, 1],
    ]);
    const b = await headWith([
      ['a', 5, 5],
      ['b', 2, 20],
      ['b', 3, 99],
      ['b', 4, 40],
    ]);
    const q = new MergeQuerier([a.querier(0, 10), b.querier(0, 10)]);
    const got = [...q.select([new Matcher('=~', 'job', '.+')])].map((s) => {
      const it = s.iterator();
      const out: number[][] = [];
      while (it.next()) out.push([it.at(), it.value()]);
      return [s.labels.get('job'), out];
    });
    expect(got).toEqual([
      ['a', [[5, 5]]],
      ['b', [[1, 10], [2, 20], [3, 30], [4, 40]]],
      ['c', [[1, 1]]],
    ]);
    expect(q.labelValues('job')).toEqual(['a', 'b', 'c']);
    const [bs] = [...q.select([new Matcher('=', 'job', 'b')])];
    const it = bs!.iterator();
    expect(it.seek(3)).toBe(true);
    expect([it.at(), it.value()]).toEqual([3, 30]);
    expect(it.next() && it.at()).toBe(4);
    expect(it.next()).toBe(false);
    expect(it.seek(4)).toBe(false);
  });
});
