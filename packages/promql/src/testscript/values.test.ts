import { describe, expect, it } from 'vitest';
import { almostEqual, parseSequence } from './values.js';

describe('value sequences', () => {
  it('expands every item form', () => {
    expect(parseSequence('1x4')).toEqual([1, 1, 1, 1, 1]);
    expect(parseSequence('0+10x3')).toEqual([0, 10, 20, 30]);
    expect(parseSequence('1-2x2')).toEqual([1, -1, -3]);
    expect(parseSequence('-2+4x1 _ _x2 stale')).toEqual([-2, 2, undefined, undefined, undefined, 'stale']);
    expect(parseSequence('Inf -inf 1e-3 .5 1_000')).toEqual([Infinity, -Infinity, 0.001, 0.5, 1000]);
    expect(parseSequence('0x3')).toEqual([0, 0, 0, 0]);
  });

  it('accumulates increments like Prometheus (float error included)', () => {
    const seq = parseSequence('0+0.1x3') as number[];
    expect(seq[3]).toBe(0.1 + 0.1 + 0.1);
  });

  it('rejects malformed items', () => {
    expect(() => parseSequence('1 abc')).toThrow('invalid value "abc"');
    expect(() => parseSequence('1+x3')).toThrow('invalid value "1+x3"');
  });

  it('compares floats with the runner epsilon', () => {
    expect(almostEqual(1, 1 + 1e-9, false, false)).toBe(true);
    expect(almostEqual(1, 1.001, false, false)).toBe(false);
    expect(almostEqual(NaN, NaN, false, false)).toBe(true);
    expect(almostEqual(NaN, NaN, true, false)).toBe(false);
    expect(almostEqual(0, 1e-300, false, false)).toBe(false);
  });
});
