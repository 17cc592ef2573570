import { STALE_NAN, isStaleNaN } from '@promethium/tsdb-core';
import { ProtoWriter } from '@promethium/exposition';
import { describe, expect, it } from 'vitest';
import { decodeWriteRequest } from './prompb.js';
import { WriteRequestEncoder } from './write-encoder.js';

function labelBytes(pairs: [string, string][]): Uint8Array {
  const w = new ProtoWriter();
  for (const [n, v] of pairs) {
    const m = w.begin(1);
    w.string(1, n);
    w.string(2, v);
    w.end(m);
  }
  return w.finish();
}

describe('WriteRequestEncoder', () => {
  it('encodes what prompb decodes: zero, negative and large timestamps, stale markers, long labels', () => {
    const a = labelBytes([['__name__', 'up'], ['job', 'x']]);
    const long = labelBytes([['__name__', 'm'], ['v', 'x'.repeat(300)]]);
    const enc = new WriteRequestEncoder();
    const ts = [0, -5000, 1_700_000_000_123, 2 ** 52];
    const vs = [1.5, -2, STALE_NAN, 0];
    const got = decodeWriteRequest(enc.encode([a, long, a, long], ts, vs).slice());
    expect(got.timeseries.map((s) => s.samples[0]!.timestamp)).toEqual(ts);
    expect(got.timeseries[0]!.labels).toEqual([{ name: '__name__', value: 'up' }, { name: 'job', value: 'x' }]);
    expect(got.timeseries[1]!.labels[1]!.value).toHaveLength(300);
    expect(got.timeseries.map((s) => s.samples[0]!.value).slice(0, 2)).toEqual([1.5, -2]);
    expect(isStaleNaN(got.timeseries[2]!.samples[0]!.value)).toBe(true);
    // Reused across calls, growing when needed.
    const many = enc.encode(new Array<Uint8Array>(20_000).fill(long), new Array<number>(20_000).fill(1), new Array<number>(20_000).fill(3));
    expect(decodeWriteRequest(many.slice()).timeseries).toHaveLength(20_000);
  });
});
