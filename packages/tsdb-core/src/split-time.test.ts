import { describe, expect, it } from 'vitest';
import { joinTime, timeCompare, timeHi, timeLo } from './split-time.js';

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

describe('timeCompare', () => {
  it('orders timestamps by their halves, infinities included', () => {
    const ts = [-Infinity, Number.MIN_SAFE_INTEGER, -(2 ** 32) - 1, -1, 0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1_764_000_000_000, Number.MAX_SAFE_INTEGER, Infinity];
    for (const a of ts) {
      for (const b of ts) {
        const ah = timeHi(a);
        const bh = timeHi(b);
        expect(timeCompare(ah, timeLo(a, ah), bh, timeLo(b, bh))).toBe(Math.sign(a - b) || 0);
      }
    }
  });
});
