// Encodes a batch as a prompb WriteRequest straight into one reused buffer: each series'
// labels are pre-encoded bytes (see SeriesCache), so a sample costs a copy, a double and a
// varint. One TimeSeries per sample, as Prometheus sends them.
import { isStaleNaN } from '@promethium/tsdb-core';

const STALE_LE = new Uint8Array([2, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

function varintLen(x: number): number {
  let n = 1;
  while (x >= 0x80) {
    x = Math.floor(x / 0x80);
    n++;
  }
  return n;
}

export class WriteRequestEncoder {
  private buf = new Uint8Array(1 << 20);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  private varint(x: number): void {
    const b = this.buf;
    while (x >= 0x80) {
      b[this.pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    b[this.pos++] = x;
  }

  /** The encoded request; valid until the next call. */
  encode(labels: readonly Uint8Array[], ts: readonly number[], vs: readonly number[]): Uint8Array {
    this.pos = 0;
    const n = ts.length;
    for (let i = 0; i < n; i++) {
      const lb = labels[i]!;
      const t = ts[i]!;
      const v = vs[i]!;
      // Negative timestamps are 10-byte two's complement varints.
      const tLen = t === 0 ? 0 : t > 0 ? 1 + varintLen(t) : 11;
      const sampleLen = 9 + tLen;
      const seriesLen = lb.length + 1 + varintLen(sampleLen) + sampleLen;
      this.ensure(seriesLen + 12);
      this.buf[this.pos++] = 0x0a; // WriteRequest.timeseries
      this.varint(seriesLen);
      this.buf.set(lb, this.pos);
      this.pos += lb.length;
      this.buf[this.pos++] = 0x12; // TimeSeries.samples
      this.varint(sampleLen);
      this.buf[this.pos++] = 0x09; // Sample.value
      if (v !== v && isStaleNaN(v)) this.buf.set(STALE_LE, this.pos);
      else this.view.setFloat64(this.pos, v, true);
      this.pos += 8;
      if (t > 0) {
        this.buf[this.pos++] = 0x10; // Sample.timestamp
        this.varint(t);
      } else if (t < 0) {
        this.buf[this.pos++] = 0x10;
        let x = BigInt.asUintN(64, BigInt(t));
        for (let k = 0; k < 10; k++) {
          this.buf[this.pos++] = Number(x & 0x7fn) | (k < 9 ? 0x80 : 0);
          x >>= 7n;
        }
      }
    }
    return this.buf.subarray(0, this.pos);
  }
}
