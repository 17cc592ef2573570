import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from './index.js';

describe('staleness marker', () => {
  it('is a NaN distinguishable from an ordinary NaN', () => {
    expect(Number.isNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(NaN)).toBe(false);
    expect(isStaleNaN(1)).toBe(false);
  });
});
