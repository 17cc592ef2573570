import { describe, expect, it } from 'vitest';
import { formatFloatG, formatG, sprintf } from './go-format.js';

describe('Go number formatting', () => {
  it('prints %v of floats like strconv g -1', () => {
    expect(formatFloatG(1)).toBe('1');
    expect(formatFloatG(0.1)).toBe('0.1');
    expect(formatFloatG(123456)).toBe('123456');
    expect(formatFloatG(1234567)).toBe('1.234567e+06');
    expect(formatFloatG(1e8)).toBe('1e+08');
    expect(formatFloatG(1e21)).toBe('1e+21');
    expect(formatFloatG(1e-5)).toBe('1e-05');
    expect(formatFloatG(0.0001)).toBe('0.0001');
    expect(formatFloatG(NaN)).toBe('NaN');
    expect(formatFloatG(-Infinity)).toBe('-Inf');
  });
  it('prints %.4g like Go', () => {
    expect(formatG(1234.5678, 4)).toBe('1235');
    expect(formatG(12345.678, 4)).toBe('1.235e+04');
    expect(formatG(0.5, 4)).toBe('0.5');
    expect(formatG(0.000012345, 4)).toBe('1.234e-05');
    expect(formatG(100, 4)).toBe('100');
    expect(formatG(1234.5, 4)).toBe('1234');
    expect(formatG(1235.5, 4)).toBe('1236');
    expect(formatG(-0.00012345, 3)).toBe('-0.000123');
  });
  it('implements the printf verbs templates use', () => {
    expect(sprintf('%s is %d', ['x', 3])).toBe('x is 3');
    expect(sprintf('%.2f%%', [12.345])).toBe('12.35%');
    expect(sprintf('%5.1f|%-4s|%04d', [3.14159, 'ab', 7])).toBe('  3.1|ab  |0007');
    expect(sprintf('%q %v %t', ['a"b', 1.5, true])).toBe('"a\\"b" 1.5 true');
    expect(sprintf('%e', [123456])).toBe('1.234560e+05');
    expect(sprintf('%.2f %.2f %.0f %.0f %.1f', [0.125, 0.375, 2.5, 3.5, -0.05])).toBe('0.12 0.38 2 4 -0.1');
    expect(sprintf('%.3f %.2f', [1e-10, 123456789.005])).toBe('0.000 123456789.00');
    expect(sprintf('%d', ['x'])).toBe('%!d(string=x)');
    expect(sprintf('%s %s', ['a'])).toBe('a %!s(MISSING)');
    expect(sprintf('%s', ['a', 2])).toBe('a%!(EXTRA int=2)');
  });
});
