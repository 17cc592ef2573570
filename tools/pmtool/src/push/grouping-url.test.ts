import { describe, expect, it } from 'vitest';
import { groupingUrl, parseLabelArgs, splitCredentials } from './grouping-url.js';

describe('grouping key URLs', () => {
  it('builds client_python\'s paths', () => {
    expect(groupingUrl('http://gw:9091/', 'batch', [])).toBe('http://gw:9091/metrics/job/batch');
    expect(groupingUrl('gw:9091', 'a/b', [['instance', 'x y'], ['path', '/var/tmp'], ['empty', '']])).toBe(
      'http://gw:9091/metrics/job@base64/YS9i/instance/x%20y/path@base64/L3Zhci90bXA/empty@base64/=',
    );
    expect(() => groupingUrl('gw', '', [])).toThrow('job name is required');
  });
  it('validates --label arguments', () => {
    expect(parseLabelArgs(['a=1', 'b=x=y', 'c='])).toEqual([['a', '1'], ['b', 'x=y'], ['c', '']]);
    expect(() => parseLabelArgs(['a'])).toThrow('expected name=value');
    expect(() => parseLabelArgs(['1a=x'])).toThrow('not a valid grouping label name');
    expect(() => parseLabelArgs(['__a=x'])).toThrow('not a valid grouping label name');
    expect(() => parseLabelArgs(['job=x'])).toThrow('the job is given as an argument');
    expect(() => parseLabelArgs(['a=1', 'a=2'])).toThrow('given twice');
  });
  it('moves URL credentials into a header', () => {
    expect(splitCredentials('http://gw:9091/metrics/job/a')).toEqual({ url: 'http://gw:9091/metrics/job/a' });
    expect(splitCredentials('http://u%40x:p%3Aw@gw:9091/metrics/job/a')).toEqual({
      url: 'http://gw:9091/metrics/job/a',
      authorization: `Basic ${Buffer.from('u@x:p:w').toString('base64')}`,
    });
  });
});
