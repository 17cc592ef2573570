// Decodes a remote-write 2.0 request (io.prometheus.write.v2.Request) into the shared Decoded
// form. Strings live once in the request's `symbols` table and series refer to them by index
// (labels_refs pairs, metadata help_ref/unit_ref). Every reference is checked before anything
// is appended. Native histograms are rejected with a 400 (the TSDB cannot store them, and the
// 2.0 spec forbids a 2xx when any sample was not written); exemplars are checked and counted but
// not stored (0 reported written, as Prometheus does without exemplar storage); metadata is
// dropped, as in v1.
import { ProtoReader, WT_FIXED64, WT_LEN, WT_VARINT } from '@promethium/exposition';
import { cacheSeries, labelsFromPairs, WriteInputError, type CachedSeries, type Decoded } from './write-append.js';
import { readSample } from './write-decode-sample.js';

export interface DecodedV2 extends Decoded {
  /** Exemplars received (not stored). */
  exemplars: number;
}

const MAX_METRIC_TYPE = 7; // METRIC_TYPE_STATESET

type Reader = InstanceType<typeof ProtoReader>;

function fieldOf(r: Reader, key: number): number {
  const f = Math.floor(key / 8);
  if (f === 0) r.fail('field number 0 is not allowed', 'a field tag');
  return f;
}

/** Appends one labels_refs entry (packed or not, both are valid protobuf) to refs. */
function readRefs(r: Reader, wt: number, refs: number[], field: string): void {
  if (wt === WT_VARINT) {
    refs.push(r.uint());
    return;
  }
  r.want(wt, WT_LEN, field);
  const end = r.len();
  while (r.pos < end) refs.push(r.uint());
  if (r.pos !== end) r.fail('packed field overruns its length', 'message end');
}

/** A symbol string: label names and values are nearly always ASCII, which skips the UTF-8 decoder. */
function readSymbol(r: Reader, buf: Uint8Array, latin1: Buffer): string {
  const at = r.pos;
  const end = r.len();
  for (let k = r.pos; k < end; k++) {
    if (buf[k]! >= 0x80) {
      r.pos = at;
      return r.string();
    }
  }
  const s = latin1.toString('latin1', r.pos, end);
  r.pos = end;
  return s;
}

class V2Decoder {
  private readonly r: Reader;
  /** The current series' labels_refs (reused across series). */
  private readonly refs: number[] = [];
  private readonly parts: string[] = [];

  constructor(
    buf: Uint8Array,
    private readonly symbols: string[],
  ) {
    this.r = new ProtoReader(buf);
  }

  symbol(ref: number, where: string): string {
    const s = this.symbols[ref];
    if (s === undefined) throw new WriteInputError(`${where} = ${ref} is out of range, expected a symbols index below ${this.symbols.length}`);
    return s;
  }

  /** Resolves a labels_refs list into (name, value) pairs. */
  pairs(refs: number[], where: string): [string, string][] {
    if (refs.length % 2 !== 0) throw new WriteInputError(`${where}: labels_refs has odd length ${refs.length}, expected name/value ref pairs`);
    const out: [string, string][] = [];
    const symbols = this.symbols;
    for (let j = 0; j < refs.length; j += 2) {
      const name = symbols[refs[j]!];
      const value = symbols[refs[j + 1]!];
      // The error text is built only on failure: this loop runs for every label of every series.
      if (name === undefined) this.symbol(refs[j]!, `${where}: labels_refs[${j}]`);
      if (value === undefined) this.symbol(refs[j + 1]!, `${where}: labels_refs[${j + 1}]`);
      out.push([name!, value!]);
    }
    return out;
  }

  exemplar(end: number, where: string): void {
    const r = this.r;
    const refs: number[] = [];
    while (r.pos < end) {
      const k = r.uint();
      const f = fieldOf(r, k);
      if (f === 1) readRefs(r, k & 7, refs, 'Exemplar.labels_refs');
      else if (f === 2) { r.want(k & 7, WT_FIXED64, 'Exemplar.value'); r.double(); }
      else if (f === 3) { r.want(k & 7, WT_VARINT, 'Exemplar.timestamp'); r.int64(); }
      else r.skip(k & 7);
    }
    if (r.pos !== end) r.fail('message overruns its length', 'message end');
    this.pairs(refs, where);
  }

  metadata(end: number, where: string): void {
    const r = this.r;
    while (r.pos < end) {
      const k = r.uint();
      const f = fieldOf(r, k);
      if (f === 1) {
        r.want(k & 7, WT_VARINT, 'Metadata.type');
        const type = r.uint();
        if (type > MAX_METRIC_TYPE) throw new WriteInputError(`${where}.type = ${type}, expected a MetricType from 0 to ${MAX_METRIC_TYPE}`);
      } else if (f === 3) { r.want(k & 7, WT_VARINT, 'Metadata.help_ref'); this.symbol(r.uint(), `${where}.help_ref`); }
      else if (f === 4) { r.want(k & 7, WT_VARINT, 'Metadata.unit_ref'); this.symbol(r.uint(), `${where}.unit_ref`); }
      else r.skip(k & 7);
    }
    if (r.pos !== end) r.fail('message overruns its length', 'message end');
  }

  /** Decodes TimeSeries i in [start, end). */
  series(i: number, start: number, end: number, out: DecodedV2, cache: Map<string, CachedSeries>): void {
    const r = this.r;
    r.pos = start;
    const where = `timeseries ${i}`;
    const refs = this.refs;
    refs.length = 0;
    let samples = 0;
    let histograms = 0;
    while (r.pos < end) {
      const k = r.uint();
      const f = fieldOf(r, k);
      const wt = k & 7;
      if (f === 1) readRefs(r, wt, refs, 'TimeSeries.labels_refs');
      else if (f === 2) {
        r.want(wt, WT_LEN, 'TimeSeries.samples');
        readSample(r, r.len(), out);
        samples++;
      } else if (f === 3) {
        r.want(wt, WT_LEN, 'TimeSeries.histograms');
        r.pos = r.len();
        histograms++;
      } else if (f === 4) {
        r.want(wt, WT_LEN, 'TimeSeries.exemplars');
        this.exemplar(r.len(), `${where}: exemplars[${out.exemplars}]`);
        out.exemplars++;
      } else if (f === 5) {
        r.want(wt, WT_LEN, 'TimeSeries.metadata');
        this.metadata(r.len(), `${where}: metadata`);
      } else if (f === 6) { r.want(wt, WT_VARINT, 'TimeSeries.created_timestamp'); r.int64(); }
      else r.skip(wt);
    }
    if (r.pos !== end) r.fail('message overruns its length', 'message end');
    if (samples > 0 && histograms > 0) throw new WriteInputError(`${where}: has both samples and histograms, expected one kind per TimeSeries`);
    if (histograms > 0) throw new WriteInputError(`${where}: has ${histograms} native histogram sample(s), which this receiver cannot store (no native histogram support); nothing from this request was written`);
    // Refs differ between requests; the resolved strings do not. A lone surrogate never occurs
    // in a decoded (well-formed UTF-8) symbol, so it separates them unambiguously.
    const symbols = this.symbols;
    const parts = this.parts;
    parts.length = refs.length + 1;
    parts[0] = '\u0001';
    let resolved = refs.length % 2 === 0;
    for (let j = 0; resolved && j < refs.length; j++) {
      const sym = symbols[refs[j]!];
      if (sym === undefined) resolved = false;
      else parts[j + 1] = sym;
    }
    // join() builds one flat string, which the Map hashes faster than a chain of concatenations.
    const key = resolved ? parts.join('\uD800') : '';
    let entry = resolved ? cache.get(key) : undefined;
    if (!entry) {
      // A miss (or a bad ref, which pairs() reports): resolve and validate the labels.
      entry = { labels: labelsFromPairs(this.pairs(refs, where), i), ref: 0 };
      cacheSeries(cache, key, entry);
    }
    out.series.push(entry);
    out.offsets.push(out.ts.length);
  }

  get reader(): Reader {
    return this.r;
  }
}

/** Decodes the whole request (validating every series and reference) before anything is appended. */
export function decodeV2(buf: Uint8Array, cache: Map<string, CachedSeries>): DecodedV2 {
  const symbols: string[] = [];
  const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const d = new V2Decoder(buf, symbols);
  const r = d.reader;
  // Symbols may follow the series that use them: collect them first, decode series after.
  const ranges: number[] = [];
  while (r.pos < buf.length) {
    const key = r.uint();
    const f = fieldOf(r, key);
    const wt = key & 7;
    if (f === 4) {
      r.want(wt, WT_LEN, 'Request.symbols');
      symbols.push(readSymbol(r, buf, latin1));
    } else if (f === 5) {
      r.want(wt, WT_LEN, 'Request.timeseries');
      const end = r.len();
      ranges.push(r.pos, end);
      r.pos = end;
    } else if (f <= 3) {
      throw new WriteInputError(`Request field ${f} is reserved in io.prometheus.write.v2.Request (a prometheus.WriteRequest sent with the 2.0 Content-Type?)`);
    } else r.skip(wt);
  }
  if (symbols.length > 0 && symbols[0] !== '') throw new WriteInputError(`symbols[0] is ${JSON.stringify(symbols[0])}, expected the empty string`);
  const out: DecodedV2 = { series: [], offsets: [0], ts: [], vs: [], exemplars: 0 };
  for (let k = 0; k < ranges.length; k += 2) d.series(k / 2, ranges[k]!, ranges[k + 1]!, out, cache);
  return out;
}
