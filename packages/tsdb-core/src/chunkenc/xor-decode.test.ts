import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from '../storage.js';
import { XORChunk } from './xor.js';
import { XORDecodeState, decodeXOR } from './xor-decode.js';

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

describe('decodeXOR (bulk decode)', () => {
  it('decodes every dod bucket, the 64-bit one included, and every value window', () => {
    const r = rng(7);
    // Deltas that land in each bucket: 0, 14, 17, 20 bits and the 64-bit escape (both signs).
    const jumps = [0, 0, 5, -8191, 8192, 8193, -65535, 65536, 65537, -524287, 524288, 524289, -3e9, 5e12, 0, 0];
    const ts: number[] = [-5_000_000];
    const vs: number[] = [0.5];
    let delta = 15_000;
    for (let i = 1; i < 240; i++) {
      delta += i < 3 ? 0 : jumps[i % jumps.length]!;
      ts.push(ts[i - 1]! + delta);
      const k = i % 6;
      vs.push(k === 0 ? vs[i - 1]! : k === 1 ? Math.round(r() * 100) / 100 : k === 2 ? r() * 1e300 : k === 3 ? -r() : k === 4 ? STALE_NAN : i);
    }
    const c = new XORChunk();
    for (let i = 0; i < ts.length; i++) c.append(ts[i]!, vs[i]!);
    const outT = new Float64Array(240);
    const outV = new Float64Array(240);
    const st = new XORDecodeState();
    expect(decodeXOR(c.bytes(), 240, outT, outV, st)).toBe(240);
    expect(st.error).toBeUndefined();
    expect([...outT]).toEqual(ts);
    for (let i = 0; i < 240; i++) {
      if (i % 6 === 4 && i > 0) expect(isStaleNaN(outV[i]!)).toBe(true);
      else expect(Object.is(outV[i], vs[i])).toBe(true);
    }
    // The end state is what the encoder had: the chunk continues identically after a reload.
    const reloaded = XORChunk.fromBytes(c.bytes().slice());
    reloaded.append(ts[239]! + 1, 42);
    c.append(ts[239]! + 1, 42);
    expect(reloaded.bytes()).toEqual(c.bytes());
  });

  it('reports truncation at the first incomplete sample and keeps the samples before it', () => {
    const c = new XORChunk();
    for (let i = 0; i < 120; i++) c.append(i * 15_000 + (i % 4), Math.sin(i));
    const full = c.bytes().slice();
    for (const cut of [2, 5, 10, 40, full.length - 1]) {
      const st = new XORDecodeState();
      const outT = new Float64Array(120);
      const outV = new Float64Array(120);
      const n = decodeXOR(full.subarray(0, cut), 120, outT, outV, st);
      expect(n).toBeLessThan(120);
      expect(st.error?.message).toMatch(/XOR chunk truncated: sample \d+ of 120 runs past byte/);
      for (let i = 0; i < n; i++) expect(outV[i]).toBe(Math.sin(i));
    }
  });

  it('reports a window wider than 64 bits as corruption', () => {
    // Count 2, t0 = 0, value 0.0, delta 1, then '11' leading=31 sig=63 (31 + 63 > 64).
    const bytes = Uint8Array.of(0x00, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0b11111111, 0b11111100, 0, 0, 0, 0, 0, 0, 0, 0);
    const st = new XORDecodeState();
    expect(decodeXOR(bytes, 2, new Float64Array(2), new Float64Array(2), st)).toBe(1);
    expect(st.error?.message).toMatch(/leading \+ 63 significant bits > 64/);
  });
});
