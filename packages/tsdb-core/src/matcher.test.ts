import { describe, expect, it } from 'vitest';
import { Matcher } from './index.js';

describe('Matcher', () => {
  it('anchors regexes fully', () => {
    const m = new Matcher('=~', 'job', 'api|web');
    expect(m.matches('api')).toBe(true);
    expect(m.matches('apix')).toBe(false);
    expect(new Matcher('!~', 'job', 'a.*').matches('b')).toBe(true);
  });
  it('lets . match newlines, as Prometheus 3', () => {
    expect(new Matcher('=~', 'x', 'a.b').matches('a\nb')).toBe(true);
  });
  it('reports bad regexes with the matcher', () => {
    expect(() => new Matcher('=~', 'job', '(')).toThrow(/invalid regular expression in matcher job=~"\("/);
  });
  it('knows when it matches the empty string', () => {
    expect(new Matcher('=', 'x', '').matchesEmpty()).toBe(true);
    expect(new Matcher('=~', 'x', '.+').matchesEmpty()).toBe(false);
  });
});
