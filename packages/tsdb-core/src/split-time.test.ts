import { describe, expect, it } from 'vitest';
import { joinTime, timeHi, timeLo } from './split-time.js';

const roundTrip = (t: number): number => {
  const hi = timeHi(t);
  return joinTime(hi, timeLo(t, hi));
};

describe('split timestamps', () => {
  it('round-trips every integer millisecond timestamp a chunk can hold, and both infinities', () => {
    for (const t of [0, 1, -1, 1_700_000_000_000, -1_700_000_000_123, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Infinity, -Infinity]) {
      expect(roundTrip(t)).toBe(t);
    }
  });

  it('keeps both halves small integers', () => {
    for (const t of [1_764_000_000_000, -5, 2 ** 52 + 7]) {
      const hi = timeHi(t);
      const lo = timeLo(t, hi);
      expect(hi | 0).toBe(hi);
      expect(lo | 0).toBe(lo);
    }
  });
});
