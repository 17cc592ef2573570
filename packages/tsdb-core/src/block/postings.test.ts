import { describe, expect, it } from 'vitest';
import { Matcher } from '../matcher.js';
import type { PostingsSource } from './postings.js';
import { intersect, postingsForMatchers, subtract, union } from './postings.js';

const u = (...xs: number[]): Uint32Array => Uint32Array.from(xs);

describe('postings set operations', () => {
  it('intersects, subtracts and unions sorted lists', () => {
    expect([...intersect(u(1, 3, 5, 7), u(2, 3, 4, 7, 9))]).toEqual([3, 7]);
    expect([...intersect(u(), u(1))]).toEqual([]);
    expect([...subtract(u(1, 3, 5, 7), u(3, 4, 7))]).toEqual([1, 5]);
    expect([...subtract(u(1, 2), u())]).toEqual([1, 2]);
    expect([...union([u(1, 5), u(2, 5, 9), u(1)])]).toEqual([1, 2, 5, 9]);
    expect([...union([])]).toEqual([]);
  });
});

describe('postingsForMatchers', () => {
  // job: a -> 1,2,3; b -> 4,5. env: prod -> 1,4; dev -> 2. Series 3 and 5 lack env.
  const table: Record<string, Record<string, number[]>> = {
    job: { a: [1, 2, 3], b: [4, 5] },
    env: { dev: [2], prod: [1, 4] },
  };
  const src: PostingsSource = {
    allPostings: () => u(1, 2, 3, 4, 5),
    postings: (n, v) => u(...(table[n]?.[v] ?? [])),
    postingsForValues: (n, accept) =>
      Object.entries(table[n] ?? {})
        .filter(([v]) => accept(v))
        .map(([, ids]) => u(...ids)),
  };
  const ids = (...m: Matcher[]): number[] => [...postingsForMatchers(src, m)];

  it('follows Prometheus semantics, including matchers that accept the empty string', () => {
    expect(ids(new Matcher('=', 'job', 'a'), new Matcher('=', 'env', 'prod'))).toEqual([1]);
    expect(ids(new Matcher('=~', 'env', 'd.*|p.*'), new Matcher('=', 'job', 'b'))).toEqual([4]);
    expect(ids(new Matcher('!=', 'env', 'prod'))).toEqual([2, 3, 5]);
    expect(ids(new Matcher('=', 'env', ''))).toEqual([3, 5]);
    expect(ids(new Matcher('=~', 'env', '|dev'))).toEqual([2, 3, 5]);
    expect(ids(new Matcher('!~', 'job', '.*'))).toEqual([]);
    expect(ids(new Matcher('=', 'nope', 'x'))).toEqual([]);
    expect(ids()).toEqual([1, 2, 3, 4, 5]);
  });
});
