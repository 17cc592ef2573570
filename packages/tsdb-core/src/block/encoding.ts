// Growable big-endian/varint byte buffer (writer side) and a bounds-checked decoder
// (reader side) for the block formats. Numbers stay JS numbers: timestamps and chunk refs
// fit in 2^53; larger 64-bit values (Prometheus writes +-2^63-ish tombstone bounds) decode
// to the nearest double, which keeps their meaning (minus/plus infinity in time).
import { CorruptBlockError } from './errors.js';

const TWO32 = 0x1_0000_0000;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export class Encbuf {
  buf: Uint8Array;
  len = 0;
  private view: DataView;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.len = 0;
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  get(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  putByte(b: number): void {
    this.grow(1);
    this.buf[this.len++] = b;
  }

  putBytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  putBE32(v: number): void {
    this.grow(4);
    this.view.setUint32(this.len, v >>> 0);
    this.len += 4;
  }

  putBE64(v: number): void {
    this.grow(8);
    this.view.setUint32(this.len, Math.floor(v / TWO32));
    this.view.setUint32(this.len + 4, v % TWO32);
    this.len += 8;
  }

  /** Unsigned LEB128 of a non-negative integer (exact for every double integer < 2^64). */
  putUvarint(v: number): void {
    this.grow(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** Zig-zag signed varint, as Go's binary.PutVarint; clamps to the int64 range. */
  putVarint(v: number): void {
    if (v >= 2 ** 63 || v <= -(2 ** 63)) {
      // 2^64-2 (MaxInt64) and 2^64-1 (MinInt64) are not doubles: write their bytes directly.
      this.grow(10);
      this.buf[this.len++] = v > 0 ? 0xfe : 0xff;
      for (let i = 0; i < 8; i++) this.buf[this.len++] = 0xff;
      this.buf[this.len++] = 0x01;
      return;
    }
    this.putUvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** uvarint length prefix followed by the UTF-8 bytes. */
  putUvarintStr(s: string): void {
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Label names and most values are ASCII: skip TextEncoder, which costs ~1 us per call.
      this.putUvarint(n);
      this.grow(n);
      const b = this.buf;
      let p = this.len;
      for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
      this.len = p;
      return;
    }
    const bytes = textEncoder.encode(s);
    this.putUvarint(bytes.length);
    this.putBytes(bytes);
  }

  /** Zero bytes until len is a multiple of `align`. */
  pad(align: number): void {
    const p = this.len % align;
    if (p === 0) return;
    this.grow(align - p);
    this.buf.fill(0, this.len, this.len + align - p);
    this.len += align - p;
  }
}

/** Reads from buf[pos, end) and raises CorruptBlockError naming the file and offset. */
export class Decbuf {
  pos: number;
  readonly end: number;
  /**
   * @param base file offset of buf[0], so errors report positions in the file even when
   * buf holds only one section of it.
   */
  constructor(
    readonly buf: Uint8Array,
    readonly file: string,
    start = 0,
    end = buf.length,
    readonly base = 0,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(what: string, at = this.pos): never {
    throw new CorruptBlockError(this.file, this.base + at, what);
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) this.fail(`truncated: need ${n} bytes for ${what}, ${this.end - this.pos} left`);
  }

  byte(what = 'byte'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  be32(what = 'uint32'): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  be64(what = 'uint64'): number {
    const hi = this.be32(what);
    const lo = this.be32(what);
    return hi * TWO32 + lo;
  }

  uvarint(what = 'uvarint'): number {
    const b = this.buf;
    const start = this.pos;
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail(`truncated ${what}`, start);
      const c = b[this.pos++]!;
      v += (c & 0x7f) * mul;
      if (c < 0x80) return v;
      mul *= 0x80;
    }
    return this.fail(`${what} overflows 64 bits`, start);
  }

  varint(what = 'varint'): number {
    // The sign is the lowest bit of the first byte (exact even when u is not).
    const negative = this.pos < this.end && (this.buf[this.pos]! & 1) === 1;
    const u = this.uvarint(what);
    return negative ? -(u + 1) / 2 : u / 2;
  }

  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  uvarintStr(what = 'string'): string {
    const at = this.pos;
    const n = this.uvarint(`length of ${what}`);
    const b = this.bytes(n, what);
    try {
      return textDecoder.decode(b);
    } catch {
      return this.fail(`${what} is not valid UTF-8`, at);
    }
  }
}

export function be32At(buf: Uint8Array, pos: number): number {
  return ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
}

/** Orders strings by their UTF-8 bytes (= code points), as Go compares strings. */
export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code point order only between surrogates and U+E000..U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      const kx = x <= 0xdfff ? x + 0x10000 : x;
      const ky = y <= 0xdfff ? y + 0x10000 : y;
      return kx < ky ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
