// WAL record payloads, byte-compatible with Prometheus' tsdb/record package:
//   series (1):     BE64 ref, uvarint #labels, (uvarint len + bytes) name/value pairs, repeated
//   samples (2):    BE64 first ref, BE64 first t, then per sample varint ref delta, varint t delta, BE64 float bits
//   tombstones (3): per interval BE64 ref, varint mint, varint maxt
//   metadata (6):   per series uvarint ref, type byte, uvarint #fields (2), "UNIT", unit, "HELP", help
// See docs/format/wal.md.
import { Labels } from '../labels.js';

export const REC_SERIES = 1;
export const REC_SAMPLES = 2;
export const REC_TOMBSTONES = 3;
export const REC_METADATA = 6;

export class WALRecordError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset} of the record`);
    this.name = 'WALRecordError';
    this.offset = offset;
  }
}

const TWO32 = 4294967296;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** A growable byte buffer for encoding records; reused across commits. */
export class RecordEncoder {
  buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  len = 0;

  reset(): void {
    this.len = 0;
  }

  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  putByte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Big-endian 64-bit two's complement of a safe integer. */
  putBE64(x: number): void {
    this.ensure(8);
    this.view.setUint32(this.len, Math.floor(x / TWO32) >>> 0);
    this.view.setUint32(this.len + 4, x >>> 0);
    this.len += 8;
  }

  putF64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.len, v);
    // A stale marker quieted by a trip through a JS array is written with Prometheus' bits.
    if (v !== v && this.view.getUint32(this.len) === 0x7ff80000 && this.view.getUint32(this.len + 4) === 2) {
      this.view.setUint32(this.len, 0x7ff00000);
    }
    this.len += 8;
  }

  putUvarint(x: number): void {
    this.ensure(10);
    const buf = this.buf;
    let i = this.len;
    while (x >= 0x80) {
      buf[i++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    buf[i++] = x;
    this.len = i;
  }

  putVarint(x: number): void {
    this.putUvarint(x >= 0 ? x * 2 : -x * 2 - 1);
  }

  putString(s: string): void {
    // Fast path for ASCII, the overwhelmingly common case in label sets.
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      this.putUvarint(n);
      this.ensure(n);
      for (let i = 0; i < n; i++) this.buf[this.len + i] = s.charCodeAt(i);
      this.len += n;
      return;
    }
    const b = textEncoder.encode(s);
    this.putUvarint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
}

/** Reads a record payload; every read checks bounds and throws WALRecordError with the offset. */
export class RecordDecoder {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  private nodeBuf: Buffer | undefined;
  pos: number;

  constructor(buf: Uint8Array, pos = 0) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }

  remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new WALRecordError(`truncated ${what}`, this.pos);
  }

  byte(): number {
    this.need(1, 'byte');
    return this.buf[this.pos++]!;
  }

  be64(): number {
    this.need(8, '64-bit integer');
    const hi = this.view.getInt32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    this.pos += 8;
    return hi * TWO32 + lo;
  }

  f64(): number {
    this.need(8, 'float');
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    const buf = this.buf;
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= buf.length) throw new WALRecordError('truncated varint', this.pos);
      const b = buf[this.pos++]!;
      x += (b & 0x7f) * mul;
      if (b < 0x80) return x;
      mul *= 0x80;
    }
    throw new WALRecordError('varint overflows 64 bits', this.pos);
  }

  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  string(): string {
    const n = this.uvarint();
    this.need(n, `string of ${n} bytes`);
    const start = this.pos;
    this.pos += n;
    const buf = this.buf;
    let ascii = true;
    for (let i = start; i < start + n; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    // ASCII (nearly every label) straight from the bytes: no view object per string, which
    // replaying a million series records would otherwise allocate ten million of.
    if (ascii) return (this.nodeBuf ??= Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)).toString('latin1', start, start + n);
    try {
      return textDecoder.decode(this.buf.subarray(start, start + n));
    } catch {
      throw new WALRecordError('invalid UTF-8 in string', start);
    }
  }
}

export interface RefSeries {
  ref: number;
  labels: Labels;
}

export function encodeSeries(enc: RecordEncoder, series: readonly { ref: number; labels: Labels }[]): void {
  enc.putByte(REC_SERIES);
  for (const s of series) {
    enc.putBE64(s.ref);
    const flat = s.labels.flatView();
    enc.putUvarint(flat.length >> 1);
    for (const x of flat) enc.putString(x);
  }
}

export function decodeSeries(rec: Uint8Array): RefSeries[] {
  const d = new RecordDecoder(rec);
  if (d.byte() !== REC_SERIES) throw new WALRecordError('not a series record', 0);
  const out: RefSeries[] = [];
  while (d.remaining() > 0) {
    const ref = d.be64();
    const n = d.uvarint();
    if (n > d.remaining()) throw new WALRecordError(`label count ${n} exceeds the record`, d.pos);
    const flat: string[] = new Array<string>(n * 2);
    for (let i = 0; i < n * 2; i++) flat[i] = d.string();
    for (let i = 2; i < flat.length; i += 2) {
      if (flat[i - 2]! >= flat[i]!) throw new WALRecordError(`labels of series ${ref} not sorted`, d.pos);
    }
    out.push({ ref, labels: Labels.fromSortedFlat(flat) });
  }
  return out;
}

/** Encodes samples i in [0, n) of parallel arrays; refs come from refOf(i). */
export function encodeSamples(
  enc: RecordEncoder,
  n: number,
  refOf: (i: number) => number,
  ts: Float64Array,
  vs: Float64Array,
): void {
  enc.putByte(REC_SAMPLES);
  if (n === 0) return;
  const ref0 = refOf(0);
  const t0 = ts[0]!;
  enc.putBE64(ref0);
  enc.putBE64(t0);
  enc.ensure(n * 28);
  for (let i = 0; i < n; i++) {
    enc.putVarint(refOf(i) - ref0);
    enc.putVarint(ts[i]! - t0);
    enc.putF64(vs[i]!);
  }
}

/** Decoded samples in reusable parallel typed arrays. */
export class SampleBatch {
  refs = new Float64Array(1024);
  ts = new Float64Array(1024);
  vs = new Float64Array(1024);
  n = 0;

  grow(): void {
    const cap = this.refs.length * 2;
    const r = new Float64Array(cap);
    r.set(this.refs);
    this.refs = r;
    const t = new Float64Array(cap);
    t.set(this.ts);
    this.ts = t;
    const v = new Float64Array(cap);
    v.set(this.vs);
    this.vs = v;
  }
}

export function decodeSamples(rec: Uint8Array, out: SampleBatch): void {
  const d = new RecordDecoder(rec);
  if (d.byte() !== REC_SAMPLES) throw new WALRecordError('not a samples record', 0);
  out.n = 0;
  if (d.remaining() === 0) return;
  const ref0 = d.be64();
  const t0 = d.be64();
  let n = 0;
  while (d.remaining() > 0) {
    if (n === out.refs.length) out.grow();
    out.refs[n] = ref0 + d.varint();
    out.ts[n] = t0 + d.varint();
    out.vs[n] = d.f64();
    n++;
  }
  out.n = n;
}

export interface Tombstone {
  ref: number;
  mint: number;
  maxt: number;
}

export function encodeTombstones(enc: RecordEncoder, stones: readonly Tombstone[]): void {
  enc.putByte(REC_TOMBSTONES);
  for (const s of stones) {
    enc.putBE64(s.ref);
    enc.putVarint(s.mint);
    enc.putVarint(s.maxt);
  }
}

export function decodeTombstones(rec: Uint8Array): Tombstone[] {
  const d = new RecordDecoder(rec);
  if (d.byte() !== REC_TOMBSTONES) throw new WALRecordError('not a tombstones record', 0);
  const out: Tombstone[] = [];
  while (d.remaining() > 0) out.push({ ref: d.be64(), mint: d.varint(), maxt: d.varint() });
  return out;
}

/** Prometheus' record.MetricType numbering. */
export const METRIC_TYPES = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'] as const;
export type WALMetricType = (typeof METRIC_TYPES)[number];

export interface RefMetadata {
  ref: number;
  type: WALMetricType;
  unit: string;
  help: string;
}

export function encodeMetadata(enc: RecordEncoder, metas: readonly RefMetadata[]): void {
  enc.putByte(REC_METADATA);
  for (const m of metas) {
    enc.putUvarint(m.ref);
    enc.putByte(Math.max(0, METRIC_TYPES.indexOf(m.type)));
    enc.putUvarint(2);
    enc.putString('UNIT');
    enc.putString(m.unit);
    enc.putString('HELP');
    enc.putString(m.help);
  }
}

export function decodeMetadata(rec: Uint8Array): RefMetadata[] {
  const d = new RecordDecoder(rec);
  if (d.byte() !== REC_METADATA) throw new WALRecordError('not a metadata record', 0);
  const out: RefMetadata[] = [];
  while (d.remaining() > 0) {
    const ref = d.uvarint();
    const type = METRIC_TYPES[d.byte()] ?? 'unknown';
    const fields = d.uvarint();
    let unit = '';
    let help = '';
    // Unknown fields are skipped, as Prometheus does, so newer writers stay readable.
    for (let i = 0; i < fields; i++) {
      const k = d.string();
      const v = d.string();
      if (k === 'UNIT') unit = v;
      else if (k === 'HELP') help = v;
    }
    out.push({ ref, type, unit, help });
  }
  return out;
}
