import { describe, expect, it } from 'vitest';
import { formatOpenMetricsValue, formatValue } from './index.js';

describe('formatValue (Go strconv "g", -1 as expfmt writes)', () => {
  it.each([
    [1, '1'],
    [0, '0'],
    [-0, '-0'],
    [-1, '-1'],
    [0.1, '0.1'],
    [123456, '123456'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-2.5e-10, '-2.5e-10'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%d -> %s', (v, s) => {
    expect(formatValue(v)).toBe(s);
  });
  it('round-trips every value through Number()', () => {
    for (const v of [Math.PI, 1 / 3, 2 ** 53, 2 ** 64, 1e-300, 123.456e12]) {
      expect(Number(formatValue(v))).toBe(v);
    }
  });
});

describe('formatOpenMetricsValue', () => {
  it('adds .0 to integral values, as client_golang does for OpenMetrics', () => {
    expect(formatOpenMetricsValue(1)).toBe('1.0');
    expect(formatOpenMetricsValue(0)).toBe('0.0');
    expect(formatOpenMetricsValue(100000)).toBe('100000.0');
    expect(formatOpenMetricsValue(1e6)).toBe('1e+06');
    expect(formatOpenMetricsValue(0.5)).toBe('0.5');
    expect(formatOpenMetricsValue(Infinity)).toBe('+Inf');
    expect(formatOpenMetricsValue(NaN)).toBe('NaN');
  });
});
