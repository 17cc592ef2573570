import { describe, expect, it } from 'vitest';
import { decodeBase64Url, groupId, parseGroupingKey, splitPath, type GroupingKeyError } from './grouping-key.js';

function err(segments: string[]): GroupingKeyError {
  try {
    parseGroupingKey(segments);
  } catch (e) {
    return e as GroupingKeyError;
  }
  throw new Error('expected an error');
}

describe('parseGroupingKey', () => {
  it('parses job and label pairs, sorted', () => {
    expect(parseGroupingKey(['job', 'j', 'zone', 'z', 'instance', 'i'])).toEqual({ instance: 'i', job: 'j', zone: 'z' });
    expect(Object.keys(parseGroupingKey(['job', 'j', 'zone', 'z', 'a', '1']))).toEqual(['a', 'job', 'zone']);
  });
  it('decodes @base64 segments (URL-safe, padding optional, "=" is empty)', () => {
    expect(parseGroupingKey(['job@base64', 'L3Zhci90bXA=', 'instance', 'i'])).toEqual({ job: '/var/tmp', instance: 'i' });
    expect(parseGroupingKey(['job@base64', 'L3Zhci90bXA'])).toEqual({ job: '/var/tmp' });
    expect(parseGroupingKey(['job', 'j', 'a@base64', '='])).toEqual({ job: 'j', a: '' });
    expect(decodeBase64Url('dGVzdCBqb2I')).toBe('test job');
    expect(() => decodeBase64Url('_-8')).toThrow(/UTF-8/);
  });
  it('answers like the real Pushgateway on bad keys', () => {
    expect(err(['jobs', 'x'])).toMatchObject({ status: 404, message: '404 page not found' });
    expect(err(['job'])).toMatchObject({ status: 404 });
    expect(err(['job', 'j', 'a'])).toMatchObject({ status: 400, message: 'odd number of components in label string "/a"' });
    expect(err(['job', 'j', '__a', 'a'])).toMatchObject({ status: 400, message: 'improper label name "__a"' });
    expect(err(['job', 'j', '1bad', 'x'])).toMatchObject({ status: 400, message: 'improper label name "1bad"' });
    expect(err(['job@base64', 'a'])).toMatchObject({
      status: 400,
      message: 'invalid base64 encoding in job name "": illegal base64 data at input byte 0',
    });
    expect(err(['job@base64', '='])).toMatchObject({ status: 400, message: 'job name is required' });
    expect(err(['job', 'j', 'x@base64', 'a!b']).message).toBe(
      'invalid base64 encoding for label x="a!b": illegal base64 data at input byte 1',
    );
    // Invalid UTF-8 poisons the real store; we refuse it.
    expect(err(['job@base64', '_-8']).message).toMatch(/not valid UTF-8/);
  });
  it('gives one id per key regardless of order', () => {
    expect(groupId({ job: 'a', b: 'c' })).toBe(groupId({ b: 'c', job: 'a' }));
    expect(groupId({ job: 'a', b: '' })).not.toBe(groupId({ job: 'a' }));
  });
});

describe('splitPath', () => {
  it('decodes the whole path and drops empty segments', () => {
    expect(splitPath('/job/a%2Fb/x/y%20z')).toEqual({ segments: ['job', 'a', 'b', 'x', 'y z'], cleaned: false });
    expect(splitPath('/job/a//b/')!.cleaned).toBe(true);
    expect(splitPath('/job/%%%')).toBeNull();
  });
});
