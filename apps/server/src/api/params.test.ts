import { describe, expect, it } from 'vitest';
import { ApiError } from './envelope.js';
import { formatSampleValue } from './json.js';
import { parseDurationParam, parseTimeParam } from './params.js';

describe('API parameters', () => {
  it('parses times like Prometheus', () => {
    expect(parseTimeParam('time', '1435781451.781')).toBe(1435781451781);
    expect(parseTimeParam('time', '1435781451')).toBe(1435781451000);
    expect(parseTimeParam('time', '2015-07-01T20:10:51.781Z')).toBe(1435781451781);
    expect(parseTimeParam('time', '2015-07-01T22:10:51+02:00')).toBe(1435781451000);
    expect(parseTimeParam('time', undefined, 42)).toBe(42);
    expect(() => parseTimeParam('start', 'yesterday')).toThrow(ApiError);
    expect(() => parseTimeParam('start', 'yesterday')).toThrow('invalid parameter "start": cannot parse "yesterday" to a valid timestamp');
  });
  it('parses durations as seconds or Prometheus durations', () => {
    expect(parseDurationParam('step', '15')).toBe(15_000);
    expect(parseDurationParam('step', '0.5')).toBe(500);
    expect(parseDurationParam('step', '1m')).toBe(60_000);
    expect(() => parseDurationParam('step', 'abc')).toThrow('invalid parameter "step": cannot parse "abc" to a valid duration');
  });
  it('formats values like the Go JSON codec', () => {
    expect(formatSampleValue(1)).toBe('1');
    expect(formatSampleValue(0.1)).toBe('0.1');
    expect(formatSampleValue(1e-7)).toBe('1e-07');
    expect(formatSampleValue(1.5e21)).toBe('1.5e+21');
    expect(formatSampleValue(123456789012)).toBe('123456789012');
    expect(formatSampleValue(NaN)).toBe('NaN');
    expect(formatSampleValue(-Infinity)).toBe('-Inf');
  });
});
