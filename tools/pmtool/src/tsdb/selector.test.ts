import { describe, expect, it } from 'vitest';
import { parseSelector } from './selector.js';

describe('parseSelector', () => {
  it('parses selectors into matchers', () => {
    expect(parseSelector('up{job="a"}').map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['__name__=up', 'job=a']);
  });
  it('allows selectors whose matchers all match the empty string, as ParseMetricSelector', () => {
    expect(parseSelector('{__name__!="x"}').map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['__name__!=x']);
    expect(parseSelector('{a=~".*"}').map((m) => m.name)).toEqual(['a']);
    expect(parseSelector('{}')).toEqual([]);
  });
  it('rejects what is not a selector', () => {
    expect(() => parseSelector('temp{')).toThrow(/parse error/);
    expect(() => parseSelector('sum(up)')).toThrow(/expected a series selector/);
  });
});
