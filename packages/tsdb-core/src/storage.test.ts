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

describe('staleness marker after a trip through a JS array', () => {
  it('is still recognised once V8 has set the quiet bit', () => {
    // The quiet-bit form V8 may produce when a NaN passes through a JS array; built from bits so coverage instrumentation cannot change it.
    const quieted = new Float64Array(new BigUint64Array([0x7ff8000000000002n]).buffer)[0]!;
    expect(isStaleNaN(quieted)).toBe(true);
    const other = new Float64Array(new BigUint64Array([0x7ff8000000000003n]).buffer)[0]!;
    expect(isStaleNaN(other)).toBe(false);
  });
});
