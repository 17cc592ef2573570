import { describe, expect, it } from 'vitest';
import { gatewayBase, groupingPath } from './grouping-key.js';

describe('groupingPath', () => {
  it('matches client_python test vectors', () => {
    expect(groupingPath('my_job')).toBe('/metrics/job/my_job');
    expect(groupingPath('my_job', { a: 9 })).toBe('/metrics/job/my_job/a/9');
    expect(groupingPath('my_job', { a: '' })).toBe('/metrics/job/my_job/a@base64/=');
    expect(groupingPath('my_job', { label: 'value with spaces' })).toBe('/metrics/job/my_job/label@base64/dmFsdWUgd2l0aCBzcGFjZXM=');
    expect(groupingPath('my_job', { b: 'a/ z', a: 9 })).toBe('/metrics/job/my_job/a/9/b@base64/YS8geg==');
    expect(groupingPath('my/job')).toBe('/metrics/job@base64/bXkvam9i');
  });

  it('percent-encodes other characters and keeps order when asked', () => {
    expect(groupingPath('j', { z: 'ü?', a: '1' }, false)).toBe('/metrics/job/j/z/%C3%BC%3F/a/1');
  });

  it('rejects an empty job and bad label names', () => {
    expect(() => groupingPath('')).toThrow('job name must be a non-empty string');
    expect(() => groupingPath('j', { 'a-b': 'x' })).toThrow('grouping key label name "a-b" is not a valid label name');
    expect(() => groupingPath('j', { __x: 'x' })).toThrow(/not a valid label name/);
    expect(() => groupingPath('j', { job: 'x' })).toThrow(/must not contain "job"/);
  });

  it('normalizes the gateway address', () => {
    expect(gatewayBase('localhost:9091')).toBe('http://localhost:9091');
    expect(gatewayBase('https://pgw.example/prefix/')).toBe('https://pgw.example/prefix');
  });
});
