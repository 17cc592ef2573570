import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseTimeArg } from './time-args.js';

describe('time arguments', () => {
  it('accepts Unix timestamps and RFC3339', () => {
    expect(parseTimeArg('--time', '1700000000.5')).toBe(1700000000.5);
    expect(parseTimeArg('--time', '2023-11-14T22:13:20Z')).toBe(1700000000);
    expect(parseTimeArg('--time', '2023-11-14T23:13:20+01:00')).toBe(1700000000);
  });
  it('rejects other forms with the flag name', () => {
    expect(() => parseTimeArg('--start', 'yesterday')).toThrow('error parsing --start "yesterday"');
  });
  it('parses Go durations', () => {
    expect(parseGoDuration('--step', '15s')).toBe(15);
    expect(parseGoDuration('--step', '1m30s')).toBe(90);
    expect(parseGoDuration('--step', '500ms')).toBe(0.5);
    expect(() => parseGoDuration('--step', '5x')).toThrow('expected a duration');
  });
});
