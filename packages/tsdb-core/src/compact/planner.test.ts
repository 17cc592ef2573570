import { describe, expect, it } from 'vitest';
import type { BlockDir } from '../block/list.js';
import { exponentialBlockRanges, plan, splitByRange } from './planner.js';

const H = 3600_000;
const ranges = exponentialBlockRanges(2 * H, 3, 3);

function b(name: string, minH: number, maxH: number, extra: Partial<BlockDir['meta']> = {}): BlockDir {
  return {
    dir: name,
    meta: { ulid: name, minTime: minH * H, maxTime: maxH * H, stats: {}, compaction: { level: 1 }, version: 1, ...extra },
  };
}

describe('compaction planner', () => {
  it('builds Prometheus ranges 2h, 6h, 18h', () => {
    expect(ranges).toEqual([2 * H, 6 * H, 18 * H]);
  });

  it('splits blocks into aligned windows', () => {
    const groups = splitByRange([b('a', 0, 2), b('b', 2, 4), b('c', 4, 6), b('d', 6, 8)], 6 * H);
    expect(groups.map((g) => g.map((d) => d.dir))).toEqual([['a', 'b', 'c'], ['d']]);
    expect(splitByRange([b('n', -2, 0), b('m', -6, -4)], 6 * H).map((g) => g.map((d) => d.dir))).toEqual([['n', 'm']]);
  });

  it('compacts a full 6h window, never including the newest block', () => {
    expect(plan([b('a', 0, 2), b('b', 2, 4), b('c', 4, 6), b('d', 6, 8)], ranges)).toEqual(['a', 'b', 'c']);
    // a, b do not fill their window and do not end before the newest-but-one block starts.
    expect(plan([b('a', 0, 2), b('b', 2, 4), b('c', 4, 6)], ranges)).toEqual([]);
    // A partial window that lies wholly before a later block is compacted.
    expect(plan([b('a', 0, 2), b('b', 2, 4), b('c', 6, 8), b('d', 8, 10)], ranges)).toEqual(['a', 'b']);
    expect(plan([b('a', 0, 2), b('b', 2, 4)], ranges)).toEqual([]);
    expect(plan([b('a', 0, 2)], ranges)).toEqual([]);
  });

  it('moves up a level: three 6h blocks become 18h', () => {
    const six = (n: string, s: number): BlockDir => b(n, s, s + 6, { compaction: { level: 2 } });
    expect(plan([six('x', 0), six('y', 6), six('z', 12), b('w', 18, 20)], ranges)).toEqual(['x', 'y', 'z']);
  });

  it('picks overlapping blocks first', () => {
    expect(plan([b('a', 0, 2), b('b', 1, 3), b('c', 4, 6), b('d', 6, 8)], ranges)).toEqual(['a', 'b']);
  });

  it('skips failed blocks and rewrites big blocks with many tombstones', () => {
    const failed = { compaction: { level: 1, failed: true } };
    expect(plan([b('a', 0, 2, failed), b('b', 2, 4), b('c', 4, 6), b('d', 6, 8)], ranges)).toEqual([]);
    const big = b('big', 0, 18, { stats: { numSeries: 100, numTombstones: 10 }, compaction: { level: 3 } });
    expect(plan([big, b('n', 18, 20)], ranges)).toEqual(['big']);
  });
});
