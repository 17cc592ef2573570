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

describe('Matcher fast paths agree with the regex', () => {
  const inputs = ['', 'a', 'api', 'web', 'apiweb', 'api|web', 'foo', 'foobar', 'foo\nbar', 'xfoo', 'b'];
  for (const pattern of ['api|web', 'foo.*', '.*', 'a', '|a', 'foo|', 'a.b', 'fo+.*', '(foo).*']) {
    it(`=~ and !~ "${pattern}"`, () => {
      const re = new RegExp(`^(?:${pattern})$`, 's');
      for (const v of inputs) {
        expect(new Matcher('=~', 'x', pattern).matches(v)).toBe(re.test(v));
        expect(new Matcher('!~', 'x', pattern).matches(v)).toBe(!re.test(v));
      }
    });
  }
  it('exposes literal alternations and match-all', () => {
    expect(new Matcher('=~', 'x', 'a|b').literalValues()).toEqual(['a', 'b']);
    expect(new Matcher('=~', 'x', 'a.|b').literalValues()).toBeUndefined();
    expect(new Matcher('=~', 'x', '.*').matchesEverything()).toBe(true);
    expect(new Matcher('!~', 'x', '.*').matchesEverything()).toBe(false);
  });
});

describe('Matcher with a caller-compiled regex', () => {
  it('uses the given regex and keeps fast paths from the original pattern', () => {
    const m = new Matcher('=~', '__name__', 'app_.*', /^(?:app_.*)$/s);
    expect(m.matches('app_temp')).toBe(true);
    expect(m.matches('up')).toBe(false);
    expect(m.literalValues()).toBeUndefined();
    const alt = new Matcher('=~', 'job', 'a|b', /^(?:a|b)$/s);
    expect(alt.literalValues()).toEqual(['a', 'b']);
  });
});
