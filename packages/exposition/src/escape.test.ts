import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, validLabelName, validMetricName, validUtf8Name } from './index.js';

describe('escaping', () => {
  it('escapes backslash, quote and newline in label values', () => {
    expect(escapeLabelValue('plain')).toBe('plain');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
  it('escapes backslash and newline but not quotes in HELP', () => {
    expect(escapeHelp('say "hi"\\\n')).toBe('say "hi"\\\\\\n');
  });
});

describe('names', () => {
  it('accepts the legacy character sets', () => {
    expect(validMetricName('http_requests:rate5m')).toBe(true);
    expect(validMetricName('_x')).toBe(true);
    expect(validMetricName('1x')).toBe(false);
    expect(validMetricName('a.b')).toBe(false);
    expect(validMetricName('')).toBe(false);
    expect(validLabelName('le')).toBe(true);
    expect(validLabelName('a:b')).toBe(false);
    expect(validLabelName('9')).toBe(false);
  });
  it('accepts any well-formed non-empty UTF-8 name in quoted form', () => {
    expect(validUtf8Name('my.metric ✓')).toBe(true);
    expect(validUtf8Name('')).toBe(false);
    expect(validUtf8Name('\ud800x')).toBe(false);
  });
});
