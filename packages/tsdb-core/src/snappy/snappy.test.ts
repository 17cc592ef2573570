import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SnappyError, snappyDecode, snappyEncode } from './snappy.js';

// snappyjs, an independent implementation, cross-checks both directions.
const peer = createRequire(import.meta.url)('snappyjs') as {
  compress(b: Uint8Array): Uint8Array;
  uncompress(b: Uint8Array): Uint8Array;
};

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

function corpus(): Uint8Array[] {
  const r = rng(42);
  const out: Uint8Array[] = [new Uint8Array(0), new Uint8Array([7]), new TextEncoder().encode('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')];
  const text = new TextEncoder().encode(
    Array.from({ length: 5000 }, (_, i) => `node_cpu_seconds_total{cpu="${i % 8}",mode="idle"} ${(r() * 1e6).toFixed(2)}\n`).join(''),
  );
  out.push(text);
  const random = new Uint8Array(200_000);
  for (let i = 0; i < random.length; i++) random[i] = Math.floor(r() * 256);
  out.push(random);
  const mixed = new Uint8Array(300_000);
  for (let i = 0; i < mixed.length; i++) mixed[i] = i % 1000 < 500 ? i % 7 : Math.floor(r() * 4);
  out.push(mixed);
  return out;
}

describe('snappy block format', () => {
  it('round-trips and interoperates with an independent implementation both ways', () => {
    for (const input of corpus()) {
      const ours = snappyEncode(input);
      expect(snappyDecode(ours)).toEqual(input);
      expect(new Uint8Array(peer.uncompress(ours))).toEqual(input);
      expect(snappyDecode(new Uint8Array(peer.compress(input)))).toEqual(input);
    }
  });
  it('compresses repetitive data', () => {
    const text = corpus()[3]!;
    expect(snappyEncode(text).length).toBeLessThan(text.length / 2);
  });
  it('rejects corrupt input with the position, never reading out of bounds', () => {
    const good = snappyEncode(corpus()[3]!);
    expect(() => snappyDecode(good.subarray(0, good.length - 3))).toThrow(SnappyError);
    expect(() => snappyDecode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow('bad length header');
    expect(() => snappyDecode(new Uint8Array([10, 0x01 | (1 << 2), 5]))).toThrow(/copy offset 5 outside the 0 bytes written/);
    expect(() => snappyDecode(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x08]), 1024)).toThrow('exceeds the limit of 1024 bytes');
    // Every truncation and every single-byte mutation either decodes or throws SnappyError.
    const small = snappyEncode(new TextEncoder().encode('hello hello hello world world world'));
    for (let cut = 0; cut < small.length; cut++) {
      try {
        snappyDecode(small.subarray(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(SnappyError);
      }
    }
    for (let i = 0; i < small.length; i++) {
      for (const b of [0, 0xff, small[i]! ^ 0x55]) {
        const m = small.slice();
        m[i] = b;
        try {
          snappyDecode(m);
        } catch (e) {
          expect(e).toBeInstanceOf(SnappyError);
        }
      }
    }
  });
});
