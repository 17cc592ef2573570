import { describe, expect, it } from 'vitest';
import { alignSeries, seriesColor, timeTicks } from './graph-data.js';

const s = (values: [number, string][]) => ({ metric: {}, values, histograms: [] });

describe('alignSeries', () => {
  it('puts points on the step grid and leaves gaps as null', () => {
    const g = alignSeries([s([[100, '1'], [120, '3']]), s([[110, '+Inf'], [130, '2']])], 100, 130, 10, false);
    expect(g.x).toEqual([100, 110, 120, 130]);
    expect(g.ys).toEqual([
      [1, null, 3, null],
      [null, null, null, 2],
    ]);
  });
  it('stacks cumulatively, skipping gaps', () => {
    const g = alignSeries([s([[0, '1'], [1, '1']]), s([[0, '2'], [1, 'NaN']]), s([[1, '5']])], 0, 1, 1, true);
    expect(g.ys).toEqual([
      [1, 1],
      [3, null],
      [null, 6],
    ]);
  });
  it('snaps off-grid timestamps and ignores points outside the range', () => {
    const g = alignSeries([s([[99.9, '1'], [200, '9'], [50, '9']])], 100, 110, 10, false);
    expect(g.ys).toEqual([[1, null]]);
  });
  it('rejects an impossible grid', () => {
    expect(() => alignSeries([], 10, 0, 1, false)).toThrow(RangeError);
    expect(() => alignSeries([], 0, 10, 0, false)).toThrow(/step 0/);
  });
  it('gives stable distinct colours', () => {
    expect(seriesColor(3, false)).toBe(seriesColor(3, false));
    expect(new Set(Array.from({ length: 20 }, (_, i) => seriesColor(i, true))).size).toBe(20);
  });
});

describe('timeTicks', () => {
  const t0 = Date.UTC(2024, 0, 31, 23, 58, 0) / 1000;
  it('labels in 24-hour UTC, with the date where it changes', () => {
    expect(timeTicks([t0, t0 + 60, t0 + 120])).toEqual(['23:58\n01-31', '23:59', '00:00\n02-01']);
  });
  it('shows seconds for close ticks and dates for daily ones', () => {
    expect(timeTicks([t0, t0 + 15])).toEqual(['23:58:00\n01-31', '23:58:15']);
    expect(timeTicks([t0, t0 + 86400])).toEqual(['01-31', '02-01']);
  });
});
