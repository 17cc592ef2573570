// The remote-write receiver (POST /api/v1/write): snappy-compressed WriteRequest in, samples
// appended in one transaction. Every series is validated before anything is appended, and any
// append error rolls the whole request back, so a bad request never half-applies.
import { ProtoReader, WT_FIXED64, WT_LEN, WT_VARINT } from '@promethium/exposition';
import { Labels } from '@promethium/tsdb-core';
import type { Appendable, SeriesRef } from '@promethium/tsdb-core';
import { snappyDecode } from '@promethium/tsdb-core';

export interface WriteResult {
  status: 204 | 400 | 413 | 500;
  message: string;
  samples: number;
  series: number;
}

export interface WriteHandlerOptions {
  /** Largest decompressed request accepted (bytes). */
  maxDecodedBytes?: number;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Label set and head reference of a series seen before, keyed by its encoded labels. */
interface CachedSeries {
  labels: Labels;
  ref: SeriesRef;
}

// Senders re-send the same label bytes for a series every time: a hit skips decoding,
// validating and looking the labels up in the head (the receiver's scrape cache).
const caches = new WeakMap<Appendable, Map<string, CachedSeries>>();
const MAX_CACHED = 2_000_000;

class WriteInputError extends Error {}

function isWellFormedUtf8(s: string): boolean {
  return s.length > 0 && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

/** Decodes and validates the labels in [start, end) of series i (a miss in the cache). */
function decodeLabels(buf: Uint8Array, start: number, end: number, i: number): Labels {
  const r = new ProtoReader(buf, start, end);
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  let name = '';
  while (r.pos < end) {
    const key = r.uint();
    const field = Math.floor(key / 8);
    const wt = key & 7;
    if (field !== 1) {
      r.skip(wt);
      continue;
    }
    r.want(wt, WT_LEN, 'TimeSeries.labels');
    const lend = r.len();
    let ln = '';
    let lv = '';
    while (r.pos < lend) {
      const k = r.uint();
      const f = Math.floor(k / 8);
      if (f === 0) r.fail('field number 0 is not allowed', 'a field tag');
      if (f === 1) { r.want(k & 7, WT_LEN, 'Label.name'); ln = r.string(); }
      else if (f === 2) { r.want(k & 7, WT_LEN, 'Label.value'); lv = r.string(); }
      else r.skip(k & 7);
    }
    if (r.pos !== lend) r.fail('message overruns its length', 'message end');
    if (ln === '') throw new WriteInputError(`timeseries ${i}: empty label name`);
    if (seen.has(ln)) throw new WriteInputError(`timeseries ${i}: invalid labels for series, duplicated label name "${ln}"`);
    seen.add(ln);
    if (ln === '__name__') name = lv;
    if (lv !== '') pairs.push([ln, lv]);
  }
  if (name === '') throw new WriteInputError(`timeseries ${i}: missing metric name (__name__ label)`);
  if (!NAME_RE.test(name) && !isWellFormedUtf8(name)) throw new WriteInputError(`timeseries ${i}: invalid metric name "${name}"`);
  return Labels.from(pairs);
}

interface Decoded {
  series: CachedSeries[];
  /** Samples of series k are [offsets[k], offsets[k+1]). */
  offsets: number[];
  ts: number[];
  vs: number[];
}

/** Decodes the whole request (validating every series) before anything is appended. */
function decode(buf: Uint8Array, cache: Map<string, CachedSeries>): Decoded {
  const r = new ProtoReader(buf);
  const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Decoded = { series: [], offsets: [0], ts: [], vs: [] };
  const end = buf.length;
  while (r.pos < end) {
    const key = r.uint();
    const field = Math.floor(key / 8);
    const wt = key & 7;
    if (field === 0) r.fail('field number 0 is not allowed', 'a field tag');
    if (field !== 1) {
      // Metadata (3) is accepted and not stored yet, like other unknown fields.
      r.skip(wt);
      continue;
    }
    r.want(wt, WT_LEN, 'WriteRequest.timeseries');
    const send = r.len();
    let ls = -1;
    let le = -1;
    let contiguous = true;
    while (r.pos < send) {
      const tagAt = r.pos;
      const k = r.uint();
      const f = Math.floor(k / 8);
      const fwt = k & 7;
      if (f === 0) r.fail('field number 0 is not allowed', 'a field tag');
      if (f === 1) {
        r.want(fwt, WT_LEN, 'TimeSeries.labels');
        if (ls < 0) ls = tagAt;
        else if (le !== tagAt) contiguous = false;
        r.pos = r.len();
        le = r.pos;
      } else if (f === 2) {
        r.want(fwt, WT_LEN, 'TimeSeries.samples');
        const smEnd = r.len();
        let v = 0;
        let t = 0;
        while (r.pos < smEnd) {
          const sk = r.uint();
          const sf = Math.floor(sk / 8);
          if (sf === 0) r.fail('field number 0 is not allowed', 'a field tag');
          if (sf === 1) { r.want(sk & 7, WT_FIXED64, 'Sample.value'); v = r.double(); }
          else if (sf === 2) { r.want(sk & 7, WT_VARINT, 'Sample.timestamp'); t = r.int64(); }
          else r.skip(sk & 7);
        }
        if (r.pos !== smEnd) r.fail('message overruns its length', 'message end');
        out.ts.push(t);
        out.vs.push(v);
      } else r.skip(fwt); // exemplars (3) and native histograms (4) are not stored yet
    }
    if (r.pos !== send) r.fail('message overruns its length', 'message end');
    const i = out.series.length;
    let entry: CachedSeries | undefined;
    const cacheKey = contiguous && ls >= 0 ? latin1.toString('latin1', ls, le) : undefined;
    if (cacheKey !== undefined) entry = cache.get(cacheKey);
    if (!entry) {
      entry = { labels: ls >= 0 ? decodeLabels(buf, ls, contiguous ? le : send, i) : decodeLabels(buf, 0, 0, i), ref: 0 };
      if (cacheKey !== undefined) {
        if (cache.size >= MAX_CACHED) cache.clear();
        cache.set(cacheKey, entry);
      }
    }
    out.series.push(entry);
    out.offsets.push(out.ts.length);
  }
  return out;
}

export async function handleRemoteWrite(body: Uint8Array, storage: Appendable, opts: WriteHandlerOptions = {}): Promise<WriteResult> {
  let buf: Uint8Array;
  try {
    buf = snappyDecode(body, opts.maxDecodedBytes ?? 256 * 1024 * 1024);
  } catch (e) {
    return { status: 400, message: `snappy decode error: ${(e as Error).message}`, samples: 0, series: 0 };
  }
  let cache = caches.get(storage);
  if (!cache) {
    cache = new Map();
    caches.set(storage, cache);
  }
  let d: Decoded;
  try {
    d = decode(buf, cache);
  } catch (e) {
    if (e instanceof WriteInputError) return { status: 400, message: e.message, samples: 0, series: 0 };
    return { status: 400, message: `protobuf decode error: ${(e as Error).message}`, samples: 0, series: 0 };
  }
  const app = storage.appender();
  const { series, offsets, ts, vs } = d;
  for (let k = 0; k < series.length; k++) {
    const entry = series[k]!;
    let ref = entry.ref;
    for (let j = offsets[k]!; j < offsets[k + 1]!; j++) {
      try {
        ref = app.append(ref, entry.labels, ts[j]!, vs[j]!);
      } catch (e) {
        app.rollback();
        // Out-of-order and duplicate samples are the sender's problem: 400 so it does not retry.
        return { status: 400, message: `${(e as Error).message} for series ${entry.labels.toString()} at timestamp ${ts[j]!}`, samples: 0, series: 0 };
      }
    }
    entry.ref = ref;
  }
  try {
    await app.commit();
  } catch (e) {
    return { status: 500, message: `committing samples: ${(e as Error).message}`, samples: 0, series: 0 };
  }
  return { status: 204, message: '', samples: ts.length, series: series.length };
}
