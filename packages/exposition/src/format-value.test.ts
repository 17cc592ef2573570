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

describe('parseFloatText', () => {
  it('parses decimals exactly as Number() does, on and off the fast path', async () => {
    const { parseFloatText } = await import('./index.js');
    const cases = ['1000.37', '0.1', '0.3', '123456789012.345', '1.', '.5', '-0.0001', '9007199254740993', '1234567890123456.7', '1e-5', '-1.5E+3', '+2'];
    for (const s of cases) expect(parseFloatText(s, 0, s.length)).toBe(Number(s));
    let seed = 1;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 16807) % 2147483647;
      const s = (seed / 1000).toFixed(seed % 9);
      expect(parseFloatText(s, 0, s.length)).toBe(Number(s));
    }
    // Exponents (Go's %g and scientific notation are common in expositions), random digits and powers.
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 16807) % 2147483647;
      const digits = String(seed).slice(0, 1 + (seed % 17));
      const point = seed % (digits.length + 1);
      const mant = `${seed % 3 === 0 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
      const s = `${mant}${seed % 2 === 0 ? 'e' : 'E'}${['', '+', '-'][seed % 3]}${String((seed >> 3) % 40).padStart(1 + (seed % 3), '0')}`;
      expect(Object.is(parseFloatText(s, 0, s.length), Number(s))).toBe(true);
    }
    for (const s of ['7.6238e-05', '9.89686846606e+11', '1.8446744073709552e+19', '1e22', '1e23', '1e-22', '1e-23', '123456789012345e22', '-0e5', '4.9e-324', '1.7976931348623157e308']) {
      expect(Object.is(parseFloatText(s, 0, s.length), Number(s))).toBe(true);
    }
    for (const s of ['', '.', '-', 'e5', '1e', '1.2.3', '0x10', '1_0', 'Infinit', '+nan']) expect(parseFloatText(s, 0, s.length)).toBeUndefined();
    expect(parseFloatText('+Inf', 0, 4)).toBe(Infinity);
    expect(parseFloatText('-infinity', 0, 9)).toBe(-Infinity);
    expect(parseFloatText('nan', 0, 3)).toBeNaN();
  });
});

describe('writeValue (byte fast path) agrees with formatValue', () => {
  it('on integers, few-decimal values and everything else', async () => {
    const { ByteWriter } = await import('./byte-writer.js');
    const { writeValue, writeOpenMetricsValue } = await import('./sample-line.js');
    const values = [0, -0, 1, -1, 0.5, -0.5, 1000.5, 999999.999, 0.001, 0.0015, 0.1 + 0.2, 123.456, 1e-3, 9.999e-4, 1e6, -1e6, 1e21, NaN, Infinity, -Infinity, 5e-324];
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 48271) % 2147483647;
      values.push(Number(((seed % 2000000) - 1000000).toString() + '.' + String(seed % 1000).padStart(3, '0')));
      values.push(seed / 997);
    }
    for (const v of values) {
      const w = new ByteWriter(4);
      writeValue(w, v);
      expect(w.string()).toBe(formatValue(v));
      const o = new ByteWriter(4);
      writeOpenMetricsValue(o, v);
      expect(o.string()).toBe(formatOpenMetricsValue(v));
    }
  });
});
