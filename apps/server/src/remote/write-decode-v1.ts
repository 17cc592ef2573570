// Decodes a remote-write 1.0 request (prometheus.WriteRequest) into the shared Decoded form,
// validating every series. Metadata, exemplars and native histograms are skipped (not stored).
import { ProtoReader, WT_LEN } from '@promethium/exposition';
import type { Labels } from '@promethium/tsdb-core';
import { cacheSeries, labelsFromPairs, type CachedSeries, type Decoded } from './write-append.js';
import { readSample } from './write-decode-sample.js';

/** Decodes and validates the labels in [start, end) of series i (a miss in the cache). */
function decodeLabels(buf: Uint8Array, start: number, end: number, i: number): Labels {
  const r = new ProtoReader(buf, start, end);
  const pairs: [string, string][] = [];
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
      if (k === 0x0a) ln = r.string(); // Label.name: field 1, length-delimited
      else if (k === 0x12) lv = r.string(); // Label.value: field 2, length-delimited
      else {
        const f = Math.floor(k / 8);
        if (f === 0) r.fail('field number 0 is not allowed', 'a field tag');
        if (f <= 2) r.want(k & 7, WT_LEN, f === 1 ? 'Label.name' : 'Label.value');
        r.skip(k & 7);
      }
    }
    if (r.pos !== lend) r.fail('message overruns its length', 'message end');
    pairs.push([ln, lv]);
  }
  return labelsFromPairs(pairs, i);
}

/** Decodes the whole request (validating every series) before anything is appended. */
export function decodeV1(buf: Uint8Array, cache: Map<string, CachedSeries>): Decoded {
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
        readSample(r, r.len(), out);
      } else r.skip(fwt); // exemplars (3) and native histograms (4) are not stored yet
    }
    if (r.pos !== send) r.fail('message overruns its length', 'message end');
    const i = out.series.length;
    let entry: CachedSeries | undefined;
    // The raw label bytes as the key: v1 keys start with the tag byte 0x0a.
    const cacheKey = contiguous && ls >= 0 ? latin1.toString('latin1', ls, le) : undefined;
    if (cacheKey !== undefined) entry = cache.get(cacheKey);
    if (!entry) {
      entry = { labels: ls >= 0 ? decodeLabels(buf, ls, contiguous ? le : send, i) : decodeLabels(buf, 0, 0, i), ref: 0 };
      if (cacheKey !== undefined) cacheSeries(cache, cacheKey, entry);
    }
    out.series.push(entry);
    out.offsets.push(out.ts.length);
  }
  return out;
}
