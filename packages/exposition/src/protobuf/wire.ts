// Protocol buffers wire format, hand-written: just what io.prometheus.client.MetricFamily needs
// (varints, zigzag, fixed64 doubles, length-delimited fields), with bounds checks on every read.
import { ExpositionError } from '../errors.js';

export const WT_VARINT = 0;
export const WT_FIXED64 = 1;
export const WT_LEN = 2;
export const WT_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Reader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    public end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(message: string, expected?: string, at = this.pos): never {
    const details: ConstructorParameters<typeof ExpositionError>[1] = { format: 'protobuf', offset: at };
    if (expected !== undefined) details.expected = expected;
    throw new ExpositionError(message, details);
  }

  /** An unsigned varint as a number (exact up to 2^53; larger uint64 values round). */
  uint(): number {
    const b = this.buf;
    let lo = 0;
    let shift = 0;
    let i = this.pos;
    for (; shift < 28; shift += 7) {
      if (i >= this.end) this.fail('truncated varint', 'varint');
      const c = b[i++]!;
      lo |= (c & 0x7f) << shift;
      if (c < 0x80) {
        this.pos = i;
        return lo >>> 0;
      }
    }
    // Bytes 5..10: continue in floating point (exact below 2^53).
    let v = lo >>> 0;
    let mul = 2 ** 28;
    for (let k = 4; k < 10; k++) {
      if (i >= this.end) this.fail('truncated varint', 'varint');
      const c = b[i++]!;
      v += (c & 0x7f) * mul;
      mul *= 128;
      if (c < 0x80) {
        this.pos = i;
        return v;
      }
    }
    this.fail('varint longer than 10 bytes', 'varint', this.pos);
  }

  /** A varint read as a two's-complement int64 (for int64 fields such as timestamp_ms). */
  int64(): number {
    const start = this.pos;
    const v = this.uint();
    if (v < 2 ** 63) return v;
    // Negative: re-read exactly with BigInt (rare).
    let x = 0n;
    let shift = 0n;
    for (let i = start; i < this.pos; i++) {
      x |= BigInt(this.buf[i]! & 0x7f) << shift;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, x));
  }

  /** int32 fields are sign-extended to 64 bits on the wire. */
  int32(): number {
    return this.int64() | 0;
  }

  sint(): number {
    const start = this.pos;
    const v = this.uint();
    if (v < 2 ** 52) return v % 2 === 1 ? -(v + 1) / 2 : v / 2;
    let x = 0n;
    let shift = 0n;
    for (let i = start; i < this.pos; i++) {
      x |= BigInt(this.buf[i]! & 0x7f) << shift;
      shift += 7n;
    }
    return Number((x >> 1n) ^ -(x & 1n));
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('truncated double', '8 bytes');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix; returns the end of the delimited region. */
  len(): number {
    const at = this.pos;
    const n = this.uint();
    const end = this.pos + n;
    if (end > this.end) this.fail(`length ${n} runs past the end of the enclosing message`, 'length within bounds', at);
    return end;
  }

  string(): string {
    const end = this.len();
    const at = this.pos;
    try {
      const s = utf8.decode(this.buf.subarray(this.pos, end));
      this.pos = end;
      return s;
    } catch {
      this.fail('invalid UTF-8 in string field', 'UTF-8 string', at);
    }
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WT_VARINT:
        this.uint();
        return;
      case WT_FIXED64:
        if (this.pos + 8 > this.end) this.fail('truncated fixed64', '8 bytes');
        this.pos += 8;
        return;
      case WT_LEN:
        this.pos = this.len();
        return;
      case WT_FIXED32:
        if (this.pos + 4 > this.end) this.fail('truncated fixed32', '4 bytes');
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${wireType}`, 'wire type 0, 1, 2 or 5', this.pos - 1);
    }
  }

  /** Checks a field's wire type before reading it. */
  want(wireType: number, expected: number, field: string): void {
    if (wireType !== expected) this.fail(`field ${field} has wire type ${wireType}, expected ${expected}`, `wire type ${expected}`, this.pos - 1);
  }
}

const encoder = new TextEncoder();

export class Writer {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;

  constructor(size = 1024) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  uint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    while (v >= 0x80) {
      b[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    b[this.pos++] = v;
  }

  int64(v: number): void {
    if (v >= 0) {
      this.uint(v);
      return;
    }
    let x = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    this.ensure(10);
    while (x >= 0x80n) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
  }

  sint(v: number): void {
    this.uint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  tag(field: number, wireType: number): void {
    this.uint((field << 3) | wireType);
  }

  double(field: number, v: number): void {
    this.tag(field, WT_FIXED64);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  string(field: number, s: string): void {
    this.tag(field, WT_LEN);
    this.ensure(s.length * 3 + 5);
    // Write the bytes after a 1-byte length guess; move them if the length needs more bytes.
    const start = this.pos + 1;
    const { written } = encoder.encodeInto(s, this.buf.subarray(start));
    this.finishLen(start, written);
  }

  /** A length-delimited bytes field. */
  bytes(field: number, data: Uint8Array): void {
    this.tag(field, WT_LEN);
    this.uint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Starts a length-delimited field; pass the returned mark to end(). */
  begin(field: number): number {
    this.tag(field, WT_LEN);
    this.ensure(1);
    this.pos += 1;
    return this.pos;
  }

  end(mark: number): void {
    this.finishLen(mark, this.pos - mark);
  }

  /** The body of length n starts at `start` with one byte reserved before it for the length. */
  private finishLen(start: number, n: number): void {
    let size = 1;
    for (let v = n; v >= 0x80; v = Math.floor(v / 128)) size++;
    if (size > 1) {
      this.ensure(size);
      this.buf.copyWithin(start + size - 1, start, start + n);
    }
    this.pos = start - 1;
    this.uint(n);
    this.pos += n;
  }

  /** A double without a tag (inside a packed run). */
  rawDouble(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Starts a length-prefixed message without a tag (the delimited stream's framing); close with end(). */
  beginUntagged(): number {
    this.ensure(1);
    this.pos += 1;
    return this.pos;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
