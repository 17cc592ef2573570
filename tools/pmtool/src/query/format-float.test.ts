import { describe, expect, it } from 'vitest';
import { formatFloatF, formatTimestamp } from './format-float.js';

describe('formatFloatF (Go strconv f, -1)', () => {
  it('prints plain decimals without exponents', () => {
    expect(formatFloatF(1)).toBe('1');
    expect(formatFloatF(0.5)).toBe('0.5');
    expect(formatFloatF(1e21)).toBe('1000000000000000000000');
    expect(formatFloatF(1.5e-7)).toBe('0.00000015');
    expect(formatFloatF(-2.5e22)).toBe('-25000000000000000000000');
    expect(formatFloatF(123456789.125)).toBe('123456789.125');
  });
  it('spells special values like Prometheus', () => {
    expect(formatFloatF(NaN)).toBe('NaN');
    expect(formatFloatF(Infinity)).toBe('+Inf');
    expect(formatFloatF(-Infinity)).toBe('-Inf');
  });
  it('prints timestamps in seconds with milliseconds', () => {
    expect(formatTimestamp(1795545052.683)).toBe('1795545052.683');
    expect(formatTimestamp(1795545053)).toBe('1795545053');
  });
});
