import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, parseBytes, parseDuration } from './duration.js';

describe('durations', () => {
  it('parses Prometheus durations in unit order', () => {
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('15d')).toBe(15 * 86_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('0')).toBe(0);
  });
  it('rejects bad durations with the expected syntax', () => {
    for (const bad of ['', '15', '1.5s', '30m1h', 's', '-1s', '1 s']) {
      expect(() => parseDuration(bad)).toThrow(/not a valid duration string/);
    }
  });
  it('formats like Prometheus', () => {
    expect(formatDuration(15_000)).toBe('15s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(14 * 86_400_000)).toBe('2w');
    expect(formatDuration(300_000)).toBe('5m');
  });
});

describe('byte sizes', () => {
  it('parses base-2 sizes', () => {
    expect(parseBytes('512MB')).toBe(512 * 1024 * 1024);
    expect(parseBytes('1KB')).toBe(1024);
    expect(parseBytes('0')).toBe(0);
    expect(() => parseBytes('12')).toThrow(/not a valid byte size/);
    expect(() => parseBytes('1XB')).toThrow(/expected e.g. 512MB/);
  });
  it('formats with the largest whole unit', () => {
    expect(formatBytes(512 * 1024 * 1024)).toBe('512MB');
    expect(formatBytes(1500)).toBe('1500B');
    expect(formatBytes(0)).toBe('0B');
  });
});
