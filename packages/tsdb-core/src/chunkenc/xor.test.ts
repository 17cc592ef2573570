import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from '../storage.js';
import { ChunkFormatError, XORChunk } from './xor.js';

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function collect(c: XORChunk): [number, number][] {
  const out: [number, number][] = [];
  const it = c.iterator();
  while (it.next()) out.push([it.at(), it.value()]);
  expect(it.err()).toBeUndefined();
  return out;
}

function bitsOf(v: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return dv.getBigUint64(0);
}

describe('XORChunk byte layout (derived by hand from Prometheus chunkenc/xor.go)', () => {
  it('encodes the first sample as count, varint t, raw float', () => {
    const c = new XORChunk();
    c.append(1000, 1.0);
    // 0001 count | d00f = zigzag varint 2000 | 3ff0000000000000 = 1.0
    expect(hex(c.bytes())).toBe('0001d00f3ff0000000000000');
  });

  it('encodes delta, dod buckets and XOR windows', () => {
    const c = new XORChunk();
    c.append(1000, 1.0);
    c.append(1015, 1.0); // uvarint 15, value '0'
    c.append(1030, 1.0); // dod '0', value '0'
    c.append(1050, 2.0); // dod 5: '10'+14 bits; xor 0x7ff0..: '11' leading=1 sig=11 '11111111111'
    expect(hex(c.bytes())).toBe('0004d00f3ff00000000000000f1000b84bffe0');
    expect(collect(c)).toEqual([
      [1000, 1],
      [1015, 1],
      [1030, 1],
      [1050, 2],
    ]);
  });

  it('encodes a negative first timestamp as a zig-zag varint', () => {
    const c = new XORChunk();
    c.append(-1, 0);
    expect(hex(c.bytes())).toBe('0001010000000000000000');
    expect(collect(c)).toEqual([[-1, 0]]);
  });
});

describe('XORChunk round trips', () => {
  it('round-trips special floats bit for bit', () => {
    // A Float64Array: V8 quiets signalling NaNs (the stale marker is one) stored in plain arrays.
    const vals = Float64Array.of(NaN, STALE_NAN, Infinity, -Infinity, -0, 0, 5e-324, Number.MAX_VALUE, -1.5, STALE_NAN, 1);
    const c = new XORChunk();
    vals.forEach((v, i) => c.append(i * 15000, v));
    const it = XORChunk.fromBytes(c.bytes().slice()).iterator();
    let i = 0;
    while (it.next()) {
      expect(bitsOf(it.value())).toBe(bitsOf(vals[i]!));
      i++;
    }
    expect(i).toBe(vals.length);
    const it2 = c.iterator();
    it2.seek(15000);
    expect(isStaleNaN(it2.value())).toBe(true);
    expect(bitsOf(it2.value())).toBe(0x7ff0000000000002n);
  });

  it('stores a stale marker quieted by a JS array with Prometheus exact bits', () => {
    // The quiet-bit form V8 may produce when a NaN passes through a JS array; built from bits so coverage instrumentation cannot change it.
    const quieted = new Float64Array(new BigUint64Array([0x7ff8000000000002n]).buffer)[0]!;
    const c = new XORChunk();
    c.append(0, quieted);
    expect(hex(c.bytes())).toBe('0001007ff0000000000002');
  });

  it('covers every dod bucket including 64-bit jumps and negative dods', () => {
    const ts = [
      -1_700_000_000_000, -1_699_999_999_000, -1_699_999_998_000, -1_699_999_997_999, -1_699_999_990_000, -1_699_999_900_000,
      -1_699_999_000_000, -1_600_000_000_000, 0, 1, 2, 100_000, 100_001, 2 ** 52, 2 ** 52 + 8193, 2 ** 52 + 16386,
    ];
    const c = new XORChunk();
    ts.forEach((t, i) => c.append(t, Math.sin(i) * 1e6));
    const got = collect(XORChunk.fromBytes(c.bytes()));
    expect(got.map((s) => s[0])).toEqual(ts);
    expect(got.map((s) => s[1])).toEqual(ts.map((_, i) => Math.sin(i) * 1e6));
  });

  it('round-trips random walks and random bit patterns', () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    for (let round = 0; round < 50; round++) {
      const c = new XORChunk();
      const wantT: number[] = [];
      const wantV = new Float64Array(240);
      let t = Math.floor(rnd() * 1e12);
      let v = rnd() * 100;
      for (let i = 0; i < 240; i++) {
        t += 1 + Math.floor(rnd() < 0.9 ? 15000 : rnd() * 1e7);
        const kind = rnd();
        if (kind < 0.3) v = Math.round((v + rnd() - 0.5) * 100) / 100;
        else if (kind < 0.5) v = new Float64Array(new Uint32Array([(rnd() * 2 ** 32) >>> 0, (rnd() * 2 ** 32) >>> 0]).buffer)[0]!;
        else if (kind < 0.6) v = i;
        wantT.push(t);
        wantV[i] = v;
        c.append(t, v);
      }
      const it = XORChunk.fromBytes(c.bytes().slice()).iterator();
      for (let i = 0; i < 240; i++) {
        expect(it.next()).toBe(true);
        expect(it.at()).toBe(wantT[i]);
        expect(bitsOf(it.value())).toBe(bitsOf(wantV[i]!));
      }
      expect(it.next()).toBe(false);
    }
  });

  it('seeks forward and stops at the end', () => {
    const c = new XORChunk();
    for (let i = 0; i < 120; i++) c.append(i * 1000, i);
    const it = c.iterator();
    expect(it.seek(5500)).toBe(true);
    expect(it.at()).toBe(6000);
    expect(it.seek(1000)).toBe(true);
    expect(it.at()).toBe(6000);
    expect(it.next()).toBe(true);
    expect(it.value()).toBe(7);
    expect(it.seek(200_000)).toBe(false);
  });

  it('resumes appending to a chunk wrapped from bytes', () => {
    const a = new XORChunk();
    for (let i = 0; i < 50; i++) a.append(i * 10, i % 7);
    const b = XORChunk.fromBytes(a.bytes().slice());
    const app = b.appender();
    for (let i = 50; i < 100; i++) app.append(i * 10, i % 7);
    for (let i = 50; i < 100; i++) a.append(i * 10, i % 7);
    expect(b.numSamples()).toBe(100);
    expect(collect(b)).toEqual(collect(a));
  });

  it('reports an iterator sees only the samples present when it was created', () => {
    const c = new XORChunk();
    c.append(1, 1);
    c.append(2, 2);
    const it = c.iterator();
    c.append(3, 3);
    let n = 0;
    while (it.next()) n++;
    expect(n).toBe(2);
  });
});

  it('keeps neighbouring chunks of one slab apart while they grow and move', () => {
    // Chunks made one after the other sit side by side in a slab; appending to them in turn
    // makes each outgrow its region many times (random values: ~9 bytes per sample).
    const chunks = Array.from({ length: 50 }, () => new XORChunk(8, 120));
    const want: [number, number][][] = chunks.map(() => []);
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 300; i++) {
      chunks.forEach((c, k) => {
        const s: [number, number] = [i * 15_000 + k, rnd() * 1e6];
        c.append(s[0], s[1]);
        want[k]!.push(s);
      });
    }
    chunks.forEach((c, k) => {
      expect(collect(c)).toEqual(want[k]);
      expect(collect(XORChunk.fromBytes(c.bytes().slice()))).toEqual(want[k]);
    });
  });

describe('XORChunk bad input', () => {
  it('rejects a buffer shorter than the header', () => {
    expect(() => XORChunk.fromBytes(new Uint8Array(1))).toThrow(ChunkFormatError);
  });

  it('reports truncation instead of inventing samples', () => {
    const c = new XORChunk();
    for (let i = 0; i < 120; i++) c.append(i * 1000 + (i % 3), Math.sin(i) * 1000);
    const bytes = c.bytes().slice(0, 40);
    const it = XORChunk.fromBytes(bytes).iterator();
    let n = 0;
    while (it.next()) n++;
    expect(n).toBeLessThan(120);
    expect(it.err()?.message).toMatch(/truncated/);
    expect(() => XORChunk.fromBytes(bytes).appender()).toThrow(ChunkFormatError);
  });
});
