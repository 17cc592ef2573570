import { describe, expect, it } from 'vitest';
import { exponentialBuckets, linearBuckets } from './buckets.js';

describe('bucket generators', () => {
  it('builds linear buckets', () => {
    expect(linearBuckets(0, 10, 4)).toEqual([0, 10, 20, 30]);
    expect(linearBuckets(1, 0.5, 3)).toEqual([1, 1.5, 2]);
  });

  it('builds exponential buckets', () => {
    expect(exponentialBuckets(1, 2, 5)).toEqual([1, 2, 4, 8, 16]);
  });

  it('rejects bad arguments with prom-client messages', () => {
    expect(() => linearBuckets(0, 1, 0)).toThrow('Linear buckets needs a positive count');
    expect(() => exponentialBuckets(0, 2, 3)).toThrow('Exponential buckets needs a positive start');
    expect(() => exponentialBuckets(1, 2, 0)).toThrow('Exponential buckets needs a positive count');
    expect(() => exponentialBuckets(1, 1, 3)).toThrow('Exponential buckets needs a factor greater than 1');
  });
});
