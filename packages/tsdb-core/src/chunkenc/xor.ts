// The XOR ("Gorilla") chunk, bit for bit as Prometheus writes it (tsdb/chunkenc/xor.go):
//   2-byte big-endian sample count
//   sample 0: varint t, 64-bit float
//   sample 1: uvarint (t1 - t0), XOR-encoded value
//   sample n: delta-of-delta of t in buckets '0' | '10'+14 | '110'+17 | '1110'+20 | '1111'+64 bits,
//             then the XOR-encoded value.
// Values: '0' when equal to the previous one; else '1' then either '0' + the meaningful bits
// within the previous leading/trailing-zero window, or '1' + 5-bit leading zeros + 6-bit
// significant bit count (0 means 64) + the significant bits.
// See docs/format/chunks-in-memory.md.
import type { SampleIterator } from '../storage.js';
import { ChunkFormatError } from './errors.js';
import { TWO32, joinTime, timeHi, timeLo } from '../split-time.js';
import { region, reserveChunkBytes } from './slab.js';
import { XORDecodeState, decodeXOR } from './xor-decode.js';

/** Prometheus' chunk encoding byte for XOR chunks. */
export const ENC_XOR = 1;

const f64 = new Float64Array(1);
// Signed view for state kept in long-lived objects: int32 values are small integers to V8,
// stored in the object itself, while uint32 values above 2^31 would each need a heap box.
const i32 = new Int32Array(f64.buffer);
// Index of the high word inside the Float64Array's bytes.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
let recoveryIterator: XORIterator | undefined;
const scratchT = new Float64Array(1);
const scratchV = new Float64Array(1);
// The stale marker 0x7ff0000000000002, and the form V8 gives it after a trip through a plain
// JS array (quiet bit set), which is written back with Prometheus' exact bits.
const STALE_HI = 0x7ff00000;
const QUIET_STALE_HI = 0x7ff80000;
const STALE_LO = 2;

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

// dod buckets hold -(2^(n-1) - 1) .. 2^(n-1) for n = 14, 17, 20 (Prometheus' bitRange).

export interface ChunkAppender {
  append(t: number, v: number): void;
}

export { ChunkFormatError };

export class XORChunk implements ChunkAppender {
  // The bit stream is kept inline (not in a BitWriter) to save an object per series and a
  // pointer hop per write: this is the hot path of every append.
  // The chunk is bytes [base, end) of buf, a region of a shared slab (see slab.ts); pos is
  // absolute, in bits from the start of buf, so the bit writer indexes buf with no offset add.
  private buf: Uint8Array;
  // Initialized here, not only in the constructor: a field declared without a value starts
  // out undefined, and V8 then keeps it as a generic tagged field instead of a small integer.
  private base = 0;
  private end = 0;
  /** Bit position after the last bit written (absolute, from buf's byte 0). */
  private pos = 0;
  private n = 0;
  // Appender state: last t (as int32 halves, see split-time.ts), t delta, last value bits and
  // the XOR zero window.
  private tHi = 0;
  private tLo = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0xff;
  private trailing = 0;
  /** False for a chunk wrapped by fromBytes until appender() recovers the state. */
  private appendable = true;
  /** Samples the chunk is expected to end with, for sizing the buffer when it grows. */
  private readonly expected: number = 120;

  /** capacity: initial buffer bytes; expectedSamples: where the chunk is likely to be cut. */
  constructor(capacity = 32, expectedSamples = 120) {
    reserveChunkBytes(Math.max(capacity, 4));
    this.buf = region.bytes;
    this.base = region.start;
    this.end = this.base + Math.max(capacity, 4);
    this.expected = expectedSamples;
    this.pos = this.base * 8 + 16;
    this.appendable = true;
  }

  /** Wraps encoded chunk bytes (no copy). Appending first replays the chunk to recover its state. */
  static fromBytes(bytes: Uint8Array): XORChunk {
    if (bytes.length < 2) throw new ChunkFormatError(`XOR chunk too short: ${bytes.length} bytes, need at least 2`);
    const c = new XORChunk(4);
    c.buf = bytes;
    c.base = 0;
    c.end = bytes.length;
    c.pos = bytes.length * 8;
    c.n = (bytes[0]! << 8) | bytes[1]!;
    c.appendable = false;
    return c;
  }

  encoding(): number {
    return ENC_XOR;
  }

  numSamples(): number {
    return this.n;
  }

  /** The encoded chunk, header included (a view; copy it to keep it past later appends). */
  bytes(): Uint8Array {
    // The sample count is written here rather than on every append: the header sits on
    // another cache line than the bits being appended.
    this.buf[this.base] = this.n >>> 8;
    this.buf[this.base + 1] = this.n & 0xff;
    return this.buf.subarray(this.base, (this.pos + 7) >>> 3);
  }

  /** Encoded size in bytes. */
  size(): number {
    return ((this.pos + 7) >>> 3) - this.base;
  }

  /** Bytes held, including spare capacity (for memory stats). */
  capacity(): number {
    return this.end - this.base;
  }

  /** Returns an appender positioned after the last sample. */
  appender(): ChunkAppender {
    if (!this.appendable) this.recoverState();
    return this;
  }

  iterator(reuse?: XORIterator): XORIterator {
    const it = reuse ?? new XORIterator();
    it.reset(this.buf, this.n, this.base, this.end);
    return it;
  }

  /** Last appended timestamp (valid once numSamples() > 0 on an appendable chunk). */
  lastTime(): number {
    return joinTime(this.tHi, this.tLo);
  }

  /** Last appended value. */
  lastValue(): number {
    i32[HI] = this.vHi;
    i32[LO] = this.vLo;
    return f64[0]!;
  }

  private recoverState(): void {
    // One shared iterator: after a snapshot restart every series recovers once, and an
    // iterator's decode arrays are ArrayBuffers the GC would have to track.
    const it = this.iterator((recoveryIterator ??= new XORIterator()));
    const n = it.numDecoded();
    const err = it.state.error;
    if (err) throw err;
    const pos = n === 0 ? 16 : it.bitPos();
    this.moveTo(this.buf.subarray(this.base, this.base + ((pos + 7) >>> 3)), pos, Math.max(32, (this.end - this.base) * 2));
    // Clear bits past the last sample so later ORs land on zeros (the fresh region is zeroed beyond).
    if ((pos & 7) !== 0) this.buf[this.pos >>> 3]! &= (0xff00 >>> (pos & 7)) & 0xff;
    const { ts } = it.arrays();
    const last = n > 0 ? ts[n - 1]! : 0;
    this.tHi = timeHi(last);
    this.tLo = timeLo(last, this.tHi);
    const d = it.tDeltaState();
    this.tDelta = (d | 0) === d ? d | 0 : d;
    this.vHi = it.state.vHi;
    this.vLo = it.state.vLo;
    // As Prometheus: a chunk with fewer than 2 samples has no XOR window yet.
    this.leading = this.n < 2 ? 0xff : it.leadingState();
    this.trailing = it.trailingState();
    this.appendable = true;
  }

  private grow(needBytes: number): void {
    // Every reallocation is an allocation plus a copy on the append path (and, in a slab, an
    // abandoned region): once a few samples show this series' bytes per sample, size the
    // buffer for the whole chunk at once. Until then quadruple.
    const have = this.end - this.base;
    const n = this.n;
    const bits = this.pos - this.base * 8;
    let cap = n >= 4 && n < this.expected ? Math.ceil(((bits / 8) * this.expected * 1.1) / n) + 16 : have < 256 ? have * 4 : have * 2;
    cap = Math.max(cap, Math.ceil(have * 1.25), needBytes + 8);
    this.moveTo(this.buf.subarray(this.base, this.base + ((bits + 7) >>> 3)), bits, cap);
  }

  /** Moves the chunk into a fresh region of cap bytes: `src` (its bytes so far), `bits` written. */
  private moveTo(src: Uint8Array, bits: number, cap: number): void {
    reserveChunkBytes(cap);
    const buf = region.bytes;
    const base = region.start;
    buf.set(src, base);
    this.buf = buf;
    this.base = base;
    this.end = base + cap;
    this.pos = base * 8 + bits;
  }

  private bit(b: number): void {
    if (this.pos >>> 3 >= this.end) this.grow((this.pos >>> 3) + 1 - this.base);
    // Read after growing: the chunk may have moved.
    const p = this.pos;
    if (b !== 0) this.buf[p >>> 3]! |= 0x80 >>> (p & 7);
    this.pos = p + 1;
  }

  /** Writes the low n (1..32) bits of v. Bytes past the current one are still zero: assign them. */
  private bits(v: number, n: number): void {
    let p = this.pos;
    const off = p & 7;
    if (off + n > 32) {
      this.bits(v >>> 16, n - 16);
      this.bits(v & 0xffff, 16);
      return;
    }
    if ((p >>> 3) + 4 > this.end) {
      this.grow((p >>> 3) + 4 - this.base);
      p = this.pos; // moved
    }
    const i = p >>> 3;
    const span = off + n;
    const buf = this.buf;
    const w = (n === 32 ? v : v & ((1 << n) - 1)) << (32 - span);
    buf[i]! |= w >>> 24;
    if (span > 8) {
      buf[i + 1] = w >>> 16;
      if (span > 16) {
        buf[i + 2] = w >>> 8;
        if (span > 24) buf[i + 3] = w;
      }
    }
    this.pos = p + n;
  }

  private uvarint(x: number): void {
    // Timestamps need ~42 bits: float arithmetic only while x is beyond int32, then int ops.
    while (x >= 0x80000000) {
      const b = x % 0x80;
      this.bits(b | 0x80, 8);
      x = (x - b) / 0x80;
    }
    let y = x | 0;
    while (y >= 0x80) {
      this.bits((y & 0x7f) | 0x80, 8);
      y >>>= 7;
    }
    this.bits(y, 8);
  }

  append(t: number, v: number): void {
    scratchT[0] = t;
    scratchV[0] = v;
    this.appendAt(scratchT, scratchV, 0);
  }

  /**
   * Appends sample i of parallel arrays. The hot paths (WAL replay, appender commit) call this
   * rather than append(t, v): a double argument to a call V8 does not inline is boxed in a fresh
   * heap number, two per sample, and at 100M samples those allocations were most of the GC work.
   */
  appendAt(ts: Float64Array, vs: Float64Array, i: number): void {
    if (!this.appendable) this.recoverState();
    const t = ts[i]!;
    f64[0] = vs[i]!;
    let hi = i32[HI]!;
    const lo = i32[LO]!;
    if (hi === QUIET_STALE_HI && lo === STALE_LO) hi = STALE_HI;
    const n = this.n;
    if (n >= 2) {
      const d = t - (this.tHi * TWO32 + (this.tLo >>> 0)); // inline: see split-time.ts
      const dod = d - this.tDelta;
      this.tDelta = (d | 0) === d ? d | 0 : d; // a small integer when it is one
      if (dod === 0) {
        this.bit(0);
      } else if (dod >= -8191 && dod <= 8192) {
        this.bits((0b10 << 14) | (dod & 0x3fff), 16);
      } else if (dod >= -65535 && dod <= 65536) {
        this.bits((0b110 << 17) | (dod & 0x1ffff), 20);
      } else if (dod >= -524287 && dod <= 524288) {
        this.bits((0b1110 << 20) | (dod & 0xfffff), 24);
      } else {
        this.bits(0b1111, 4);
        // 64-bit two's complement of dod.
        this.bits(Math.floor(dod / TWO32) | 0, 32);
        this.bits(dod | 0, 32);
      }
      this.writeValue(hi, lo);
    } else if (n === 0) {
      this.uvarint(t >= 0 ? t * 2 : -t * 2 - 1);
      this.vHi = hi;
      this.vLo = lo;
      this.bits(hi, 32);
      this.bits(lo, 32);
    } else {
      const d = t - (this.tHi * TWO32 + (this.tLo >>> 0)); // inline: see split-time.ts
      this.tDelta = (d | 0) === d ? d | 0 : d; // a small integer when it is one
      this.uvarint(d);
      this.writeValue(hi, lo);
    }
    // Split inline (see split-time.ts); sample times are finite.
    const th = Math.floor(t / TWO32) | 0;
    this.tHi = th;
    this.tLo = (t - th * TWO32) | 0;
    this.n = n + 1;
  }


  /** Writes the value with bits hi:lo (int32 halves) XORed against the previous one. */
  private writeValue(hi: number, lo: number): void {
    const dHi = hi ^ this.vHi;
    const dLo = lo ^ this.vLo;
    this.vHi = hi;
    this.vLo = lo;
    if (dHi === 0 && dLo === 0) {
      this.bit(0);
      return;
    }
    let leading = dHi !== 0 ? Math.clz32(dHi) : 32 + Math.clz32(dLo);
    const trailing = dLo !== 0 ? ctz32(dLo) : 32 + ctz32(dHi);
    // 5 bits hold at most 31 leading zeros.
    if (leading >= 32) leading = 31;
    let shift: number;
    let sig: number;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      this.bits(0b10, 2);
      shift = this.trailing;
      sig = 64 - this.leading - shift;
    } else {
      this.leading = leading;
      this.trailing = trailing;
      sig = 64 - leading - trailing;
      // '11', 5 bits of leading zeros, 6 bits of significant bits (64 written as 0).
      this.bits((0b11 << 11) | (leading << 6) | (sig & 63), 13);
      shift = trailing;
    }
    // The sig bits of dHi:dLo starting at bit `shift`.
    let sHi: number;
    let sLo: number;
    if (shift === 0) {
      sHi = dHi;
      sLo = dLo;
    } else if (shift < 32) {
      sLo = (dLo >>> shift) | (dHi << (32 - shift));
      sHi = (dHi >>> shift) | 0;
    } else {
      // int32, not uint32: an unsigned value above 2^31 would be passed to bits() boxed.
      sLo = (dHi >>> (shift - 32)) | 0;
      sHi = 0;
    }
    if (sig > 32) {
      this.bits(sHi, sig - 32);
      this.bits(sLo, 32);
    } else {
      this.bits(sLo, sig);
    }
  }
}

/**
 * Iterates an XOR chunk; implements storage.ts SampleIterator. The first next() decodes the
 * whole chunk with decodeXOR into arrays the iterator reuses across reset() calls; next() is
 * then an index step. A chunk is at most a few hundred samples, so decoding one that is only
 * partly read costs little.
 */
export class XORIterator implements SampleIterator {
  private buf: Uint8Array = new Uint8Array(0);
  private total = 0;
  private decoded = -1;
  private idx = -1;
  private ts = new Float64Array(128);
  private vs = new Float64Array(128);
  readonly state = new XORDecodeState();

  private from = 0;
  private to = 0;

  /** Reads the chunk in buf, or in bytes [from, to) of it. */
  reset(buf: Uint8Array, numSamples: number, from = 0, to = buf.length): void {
    this.buf = buf;
    this.from = from;
    this.to = to;
    this.total = numSamples;
    this.decoded = -1;
    this.idx = -1;
    this.state.error = undefined;
  }

  private decode(): void {
    if (this.ts.length < this.total) {
      this.ts = new Float64Array(this.total);
      this.vs = new Float64Array(this.total);
    }
    this.decoded = decodeXOR(this.buf, this.total, this.ts, this.vs, this.state, this.from, this.to);
  }

  at(): number {
    return this.ts[this.idx]!;
  }

  value(): number {
    return this.vs[this.idx]!;
  }

  err(): ChunkFormatError | undefined {
    // As a streaming decoder: the error shows once iteration reached the bad sample.
    return this.idx >= this.decoded ? this.state.error : undefined;
  }

  /** Number of samples the chunk decodes to (all of them unless err() reports damage). */
  numDecoded(): number {
    if (this.decoded < 0) this.decode();
    return this.decoded;
  }

  /** The decoded timestamps and values, valid for indexes below numDecoded() until the next reset(). */
  arrays(): { ts: Float64Array; vs: Float64Array } {
    if (this.decoded < 0) this.decode();
    return { ts: this.ts, vs: this.vs };
  }

  /** Bit offset just past the last sample of the chunk (once decoded). */
  bitPos(): number {
    return this.state.pos;
  }

  /** Appender state after the last sample: timestamp delta, XOR window. */
  tDeltaState(): number {
    return this.state.tDelta;
  }

  leadingState(): number {
    return this.state.leading;
  }

  trailingState(): number {
    return this.state.trailing;
  }

  seek(t: number): boolean {
    if (this.idx < 0 && !this.next()) return false;
    while (this.ts[this.idx]! < t) {
      if (!this.next()) return false;
    }
    return true;
  }

  next(): boolean {
    if (this.decoded < 0) this.decode();
    if (this.idx + 1 >= this.decoded) {
      this.idx = this.decoded;
      return false;
    }
    this.idx++;
    return true;
  }
}
