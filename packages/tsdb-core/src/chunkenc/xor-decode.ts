// Bulk decoding of an XOR chunk into typed arrays: the whole chunk in one call, with all state
// in locals. Bits are read through 32-bit big-endian words (one conversion per chunk), so each
// field is one or two word loads and shifts instead of byte-by-byte assembly, and the common
// "same timestamp delta, same value" sample ('0' '0') is a single test. No BigInt anywhere.
// Layout: see xor.ts.
import { ChunkFormatError } from './errors.js';

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
const TWO32 = 4294967296;

/** Decoder state after the last decoded sample: what an appender needs to continue the chunk. */
export class XORDecodeState {
  /** Samples decoded. */
  n = 0;
  /** Bit offset just past the last decoded sample. */
  pos = 16;
  tDelta = 0;
  leading = 0;
  trailing = 0;
  /** Bits of the last value (as int32 halves), so NaN payloads survive exactly. */
  vHi = 0;
  vLo = 0;
  /** Set when fewer than the requested samples could be decoded. */
  error: ChunkFormatError | undefined = undefined;
}

let words = new Int32Array(256);

/** The 32 bits starting at bit pos, as an int32. Words past the data are zero. */
function peek(w: Int32Array, pos: number): number {
  const i = pos >>> 5;
  const o = pos & 31;
  // Branch-free: for o = 0 the second term shifts the next word out entirely.
  return (w[i]! << o) | ((w[i + 1]! >>> 1) >>> (31 - o));
}

/** Loads bytes [from, to) of b as big-endian words. */
function loadWords(b: Uint8Array, from: number, to: number): Int32Array {
  const nb = to - from;
  const full = nb >>> 2;
  if (words.length < full + 4) words = new Int32Array(Math.max(words.length * 2, full + 4));
  const w = words;
  for (let j = 0; j < full; j++) {
    const k = from + (j << 2);
    w[j] = (b[k]! << 24) | (b[k + 1]! << 16) | (b[k + 2]! << 8) | b[k + 3]!;
  }
  let last = 0;
  for (let k = from + (full << 2), s = 24; k < to; k++, s -= 8) last |= b[k]! << s;
  w[full] = last;
  w[full + 1] = 0;
  w[full + 2] = 0;
  w[full + 3] = 0;
  return w;
}

/**
 * Decodes up to numSamples samples of the XOR chunk `bytes` (header included) into ts and vs
 * (which must hold numSamples). Returns the number decoded; when that is short of numSamples,
 * state.error says why (truncated or corrupt chunk). The chunk may be bytes [from, to) of a
 * larger array (a head chunk in its slab), read in place.
 */
export function decodeXOR(
  bytes: Uint8Array,
  numSamples: number,
  ts: Float64Array,
  vs: Float64Array,
  state: XORDecodeState = new XORDecodeState(),
  from = 0,
  to = bytes.length,
): number {
  state.error = undefined;
  state.n = 0;
  state.pos = 16;
  if (numSamples <= 0) return 0;
  const w = loadWords(bytes, from, to);
  const end = (to - from) * 8;
  let pos = 16;
  // Sample 0: zig-zag varint t, then the raw 64-bit float.
  let u = 0;
  let mul = 1;
  for (let k = 0; ; k++) {
    const b = peek(w, pos) >>> 24;
    pos += 8;
    u += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 0x80;
    if (k === 9) return fail(state, 0, end + 1, 0, 0, 0, end >>> 3, numSamples);
  }
  let t = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  let vHi = peek(w, pos);
  let vLo = peek(w, pos + 32);
  pos += 64;
  i32[HI] = vHi;
  i32[LO] = vLo;
  let val = f64[0]!;
  if (pos > end) return fail(state, 0, pos, 0, 0, 0, end >>> 3, numSamples);
  ts[0] = t;
  vs[0] = val;
  if (numSamples === 1) return done(state, 1, pos, 0, 0, 0, vHi, vLo);
  // Sample 1: uvarint delta, then the XORed value.
  let leading = 0;
  let trailing = 0;
  let i = 1;
  u = 0;
  mul = 1;
  for (let k = 0; ; k++) {
    const b = peek(w, pos) >>> 24;
    pos += 8;
    u += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 0x80;
    if (k === 9) return fail(state, 1, end + 1, 0, 0, 0, end >>> 3, numSamples);
  }
  let tDelta = u;
  for (;;) {
    t += tDelta;
    let x = peek(w, pos);
    if (x < 0) {
      // '1': a changed value.
      if ((x & 0x40000000) === 0) {
        pos += 2; // '10': the previous leading/trailing window
      } else {
        leading = (x >>> 25) & 31;
        let sig = (x >>> 19) & 63;
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
        if (trailing < 0) {
          state.error = new ChunkFormatError(`XOR chunk corrupt: ${leading} leading + ${sig} significant bits > 64`);
          return done(state, i, pos, tDelta, leading, 0, vHi, vLo);
        }
        pos += 13;
      }
      const sig = 64 - leading - trailing;
      let hi: number;
      let lo: number;
      if (sig > 32) {
        hi = peek(w, pos) >>> (64 - sig);
        lo = peek(w, pos + sig - 32);
      } else {
        hi = 0;
        lo = peek(w, pos) >>> (32 - sig);
      }
      pos += sig;
      if (trailing >= 32) {
        hi = lo << (trailing - 32);
        lo = 0;
      } else if (trailing > 0) {
        hi = (hi << trailing) | (lo >>> (32 - trailing));
        lo = lo << trailing;
      }
      vHi ^= hi;
      vLo ^= lo;
      i32[HI] = vHi;
      i32[LO] = vLo;
      val = f64[0]!;
    } else {
      pos += 1; // '0': the same value
    }
    if (pos > end) return fail(state, i, pos, tDelta, leading, trailing, end >>> 3, numSamples);
    ts[i] = t;
    vs[i] = val;
    if (++i === numSamples) return done(state, i, pos, tDelta, leading, trailing, vHi, vLo);
    // Delta of delta: the number of leading '1's (up to 4) picks the bucket.
    x = peek(w, pos);
    while ((x & 0xc0000000) === 0) {
      // '0' '0': same delta, same value -- the most common sample of all.
      pos += 2;
      if (pos > end) return fail(state, i, pos, tDelta, leading, trailing, end >>> 3, numSamples);
      t += tDelta;
      ts[i] = t;
      vs[i] = val;
      if (++i === numSamples) return done(state, i, pos, tDelta, leading, trailing, vHi, vLo);
      x = peek(w, pos);
    }
    // The loop head adds tDelta to t.
    if (x >= 0) {
      pos += 1;
    } else {
      const ones = Math.clz32(~x);
      let dod: number;
      if (ones === 1) {
        dod = (x >>> 16) & 0x3fff;
        if (dod > 8192) dod -= 16384;
        pos += 16;
      } else if (ones === 2) {
        dod = (x >>> 12) & 0x1ffff;
        if (dod > 65536) dod -= 131072;
        pos += 20;
      } else if (ones === 3) {
        dod = (x >>> 8) & 0xfffff;
        if (dod > 524288) dod -= 1048576;
        pos += 24;
      } else {
        dod = peek(w, pos + 4) * TWO32 + (peek(w, pos + 36) >>> 0);
        pos += 68;
      }
      tDelta += dod;
    }
  }
}

function done(
  state: XORDecodeState,
  n: number,
  pos: number,
  tDelta: number,
  leading: number,
  trailing: number,
  vHi: number,
  vLo: number,
): number {
  state.vHi = vHi;
  state.vLo = vLo;
  state.n = n;
  state.pos = pos;
  state.tDelta = tDelta;
  state.leading = leading;
  state.trailing = trailing;
  return n;
}

function fail(
  state: XORDecodeState,
  n: number,
  pos: number,
  tDelta: number,
  leading: number,
  trailing: number,
  size: number,
  total: number,
): number {
  state.error = new ChunkFormatError(`XOR chunk truncated: sample ${n + 1} of ${total} runs past byte ${size}`);
  // The state stays that of the last whole sample.
  return done(state, n, pos, tDelta, leading, trailing, 0, 0);
}
