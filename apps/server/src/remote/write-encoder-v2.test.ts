import { STALE_NAN, isStaleNaN } from '@promethium/tsdb-core';
import { describe, expect, it } from 'vitest';
import { WriteRequestV2Encoder } from './write-encoder-v2.js';

// A generic protobuf field walker, independent of the encoder and of the receiver's decoder.
interface Field { f: number; wt: number; n: bigint; bytes: Uint8Array }
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let x = 0n;
    let s = 0n;
    for (;;) {
      const b = buf[i++]!;
      x |= BigInt(b & 0x7f) << s;
      s += 7n;
      if (b < 0x80) return x;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const f = key >> 3;
    const wt = key & 7;
    if (wt === 0) out.push({ f, wt, n: varint(), bytes: new Uint8Array() });
    else if (wt === 1) {
      out.push({ f, wt, n: 0n, bytes: buf.slice(i, i + 8) });
      i += 8;
    } else if (wt === 2) {
      const len = Number(varint());
      out.push({ f, wt, n: 0n, bytes: buf.slice(i, i + len) });
      i += len;
    } else throw new Error(`wire type ${wt}`);
  }
  return out;
}
const packedRefs = (b: Uint8Array): number[] => {
  const out: number[] = [];
  let x = 0;
  let s = 0;
  for (const c of b) {
    x += (c & 0x7f) * 2 ** s;
    s += 7;
    if (c < 0x80) {
      out.push(x);
      x = 0;
      s = 0;
    }
  }
  return out;
};

describe('WriteRequestV2Encoder', () => {
  it('writes symbols (4) first with "" at 0, then one TimeSeries (5) per sample with packed labels_refs (1) and a Sample (2)', () => {
    const up = ['__name__', 'up', 'job', 'x'];
    const other = ['__name__', 'other', 'job', 'x'];
    const ts = [1_700_000_000_123, -5000, 0];
    const vs = [1.5, STALE_NAN, -2];
    const req = fields(new WriteRequestV2Encoder().encode([up, other, up], ts, vs));
    const symbols = req.filter((x) => x.f === 4).map((x) => new TextDecoder().decode(x.bytes));
    expect(symbols).toEqual(['', '__name__', 'up', 'job', 'x', 'other']);
    expect(req.findIndex((x) => x.f === 5)).toBe(symbols.length); // every symbol precedes the series
    const series = req.filter((x) => x.f === 5).map((x) => fields(x.bytes));
    expect(series).toHaveLength(3);
    const labels = series.map((s) => packedRefs(s.find((x) => x.f === 1 && x.wt === 2)!.bytes).map((r) => symbols[r]));
    expect(labels).toEqual([up, other, up]);
    const samples = series.map((s) => fields(s.find((x) => x.f === 2 && x.wt === 2)!.bytes));
    const value = (s: Field[]): number => new DataView(s.find((x) => x.f === 1 && x.wt === 1)!.bytes.buffer).getFloat64(0, true);
    const time = (s: Field[]): number => Number(BigInt.asIntN(64, s.find((x) => x.f === 2 && x.wt === 0)?.n ?? 0n));
    expect(samples.map(time)).toEqual(ts);
    expect(value(samples[0]!)).toBe(1.5);
    expect(isStaleNaN(value(samples[1]!))).toBe(true);
    expect(value(samples[2]!)).toBe(-2);
  });

  it('builds a fresh symbol table per request and handles big batches', () => {
    const enc = new WriteRequestV2Encoder();
    const first = fields(enc.encode([['__name__', 'a']], [1], [1]));
    const second = fields(enc.encode([['__name__', 'b']], [1], [1]));
    expect(first.filter((x) => x.f === 4)).toHaveLength(3);
    expect(second.filter((x) => x.f === 4).map((x) => new TextDecoder().decode(x.bytes))).toEqual(['', '__name__', 'b']);
    const n = 20_000;
    const pairs = Array.from({ length: n }, (_, i) => ['__name__', 'm', 'i', String(i % 500), 'long', 'y'.repeat(200)]);
    const big = fields(enc.encode(pairs, new Array<number>(n).fill(5), new Array<number>(n).fill(1)));
    expect(big.filter((x) => x.f === 4)).toHaveLength(1 + 4 + 500 + 1);
    expect(big.filter((x) => x.f === 5)).toHaveLength(n);
  });
});
