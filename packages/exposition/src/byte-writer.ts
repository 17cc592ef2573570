// A growable UTF-8 byte buffer for the serializers. Building the output with string `+=` makes a
// rope of millions of cons-strings that the GC then spends most of its time on; writing bytes
// allocates nothing per line.
import { escapeLabelValue } from './escape.js';

const encoder = new TextEncoder();

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  /** Set once a non-ASCII character was written (then the output must be decoded as UTF-8). */
  private wide = false;

  constructor(size = 64 * 1024) {
    this.buf = new Uint8Array(size);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  /** Writes a string: ASCII byte by byte, anything else through TextEncoder. */
  str(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.wideFrom(s, i);
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  private wideFrom(s: string, i: number): void {
    this.wide = true;
    const rest = s.length - i;
    if (this.pos + rest * 3 > this.buf.length) this.grow(rest * 3);
    const { written } = encoder.encodeInto(i === 0 ? s : s.slice(i), this.buf.subarray(this.pos));
    this.pos += written;
  }

  /** Writes a label value (or OpenMetrics HELP) escaping `\\`, `"` and LF in the same pass. */
  escaped(s: string): void {
    const n = s.length;
    if (this.pos + 2 * n > this.buf.length) this.grow(2 * n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.wideFrom(escapeLabelValue(s.slice(i)), 0);
        return;
      }
      if (c === 92 || c === 34) {
        b[p++] = 92;
        b[p++] = c;
      } else if (c === 10) {
        b[p++] = 92;
        b[p++] = 110;
      } else b[p++] = c;
    }
    this.pos = p;
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /** A non-negative safe integer, without making a string. */
  uint(v: number): void {
    if (this.pos + 16 > this.buf.length) this.grow(16);
    const b = this.buf;
    if (v < 10) {
      b[this.pos++] = 48 + v;
      return;
    }
    let digits = 0;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) b[--p] = 48 + (x % 10);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  string(): string {
    // Pure ASCII decodes fastest as latin1 (one byte per char, no validation).
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.pos).toString(this.wide ? 'utf8' : 'latin1');
  }
}
