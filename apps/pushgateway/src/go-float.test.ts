import { describe, expect, it } from 'vitest';
import { formatGoFloat } from './go-float.js';

describe('formatGoFloat', () => {
  it('matches Go strconv.FormatFloat(v, g, -1, 64)', () => {
    expect(formatGoFloat(1)).toBe('1');
    expect(formatGoFloat(1e6)).toBe('1e+06');
    expect(formatGoFloat(20000)).toBe('20000');
    expect(formatGoFloat(123456)).toBe('123456');
    expect(formatGoFloat(1234567)).toBe('1.234567e+06');
    expect(formatGoFloat(1795541052.6388876)).toBe('1.7955410526388876e+09');
    expect(formatGoFloat(0.0001)).toBe('0.0001');
    expect(formatGoFloat(0.00001)).toBe('1e-05');
    expect(formatGoFloat(0.5)).toBe('0.5');
    expect(formatGoFloat(-2.5e-7)).toBe('-2.5e-07');
    expect(formatGoFloat(1.8446744073709552e19)).toBe('1.8446744073709552e+19');
    expect(formatGoFloat(1e100)).toBe('1e+100');
    expect(formatGoFloat(NaN)).toBe('NaN');
    expect(formatGoFloat(Infinity)).toBe('+Inf');
    expect(formatGoFloat(-Infinity)).toBe('-Inf');
    expect(formatGoFloat(0)).toBe('0');
    expect(formatGoFloat(-0)).toBe('-0');
  });
});
