import { describe, expect, it } from 'vitest';
import { parseDuration } from './index.js';

describe('parseDuration', () => {
  it('parses compound durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
  });
  it('rejects bad input with the text', () => {
    expect(() => parseDuration('5x')).toThrow('not a valid duration string: "5x"');
    expect(() => parseDuration('')).toThrow();
  });
});
