import { describe, expect, it } from 'vitest';
import { autoStep, formatAgo, formatDuration, formatUtc, parseDuration, parseTime, stepRange } from './time.js';

describe('durations', () => {
  it('parses Prometheus durations and plain seconds', () => {
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('250ms')).toBe(0.25);
    expect(parseDuration('2w')).toBe(1209600);
    expect(parseDuration('15')).toBe(15);
    expect(parseDuration(' 5m ')).toBe(300);
  });
  it('rejects malformed durations', () => {
    for (const bad of ['', 'h', '1x', '1h1h', '30m1h', '-5m', '1.5h', '0s', '5m junk']) expect(parseDuration(bad), bad).toBeUndefined();
  });
  it('formats the shortest form and round-trips', () => {
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(0.25)).toBe('250ms');
    expect(formatDuration(86400 * 8)).toBe('1w1d');
    for (const d of [1, 59, 61, 3600, 90061]) expect(parseDuration(formatDuration(d))).toBe(d);
  });
  it('steps the range buttons and picks ~250 points', () => {
    expect(stepRange(3600, 1)).toBe(7200);
    expect(stepRange(3600, -1)).toBe(1800);
    expect(stepRange(1, -1)).toBe(1);
    expect(autoStep(3600)).toBe(14);
    expect(autoStep(60)).toBe(1);
  });
});

describe('times', () => {
  it('formats and parses the UTC URL format', () => {
    const t = Date.UTC(2024, 0, 2, 3, 4, 5);
    expect(formatUtc(t)).toBe('2024-01-02 03:04:05');
    expect(parseTime('2024-01-02 03:04:05')).toBe(t);
    expect(parseTime('2024-01-02T03:04:05Z')).toBe(t);
    expect(parseTime('2024-01-02T05:04:05+02:00')).toBe(t);
    expect(parseTime('1704164645')).toBe(t);
    expect(parseTime('2024-01-02')).toBe(Date.UTC(2024, 0, 2));
  });
  it('rejects impossible dates', () => {
    for (const bad of ['2024-02-30', '2024-01-01 25:00', 'yesterday', '2024-1-1']) expect(parseTime(bad), bad).toBeUndefined();
  });
  it('says how long ago', () => {
    expect(formatAgo(1000, 4200)).toBe('3.2s ago');
    expect(formatAgo(0, 300_000)).toBe('5m ago');
    expect(formatAgo(5000, 1000)).toBe('in the future');
  });
});
