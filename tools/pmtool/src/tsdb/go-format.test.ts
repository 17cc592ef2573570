import { describe, expect, it } from 'vitest';
import { base2Bytes, goDuration, goG, goTimeUTC } from './go-format.js';

describe('Go formatting', () => {
  it('formats %g like fmt', () => {
    expect([0, 1, 1021, 21.5, 0.001, 1e6, 123456, 1234567, 1e-5, 0.0001, -2.5e-7, NaN, Infinity, -Infinity].map(goG)).toEqual([
      '0', '1', '1021', '21.5', '0.001', '1e+06', '123456', '1.234567e+06', '1e-05', '0.0001', '-2.5e-07', 'NaN', '+Inf', '-Inf',
    ]);
    expect(goG(1e100)).toBe('1e+100');
  });
  it('formats durations like time.Duration', () => {
    expect([0, 1, 999, 1000, 13124, 2686878, 5487001, 7200000, 60000, 90500].map(goDuration)).toEqual([
      '0s', '1ms', '999ms', '1s', '13.124s', '44m46.878s', '1h31m27.001s', '2h0m0s', '1m0s', '1m30.5s',
    ]);
  });
  it('formats bytes like units.Base2Bytes', () => {
    expect([0, 995, 1024, 1088, 1048576 + 5].map(base2Bytes)).toEqual(['0B', '995B', '1KiB', '1KiB64B', '1MiB5B']);
  });
  it('formats times like time.Time in UTC', () => {
    expect(goTimeUTC(1565133713124)).toBe('2019-08-06 23:21:53 +0000 UTC');
  });
});
