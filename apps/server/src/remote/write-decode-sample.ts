// The Sample message both remote-write versions share (value = 1, timestamp = 2): appended to
// the decoded request's columns. Other fields (2.0's start_timestamp) are skipped: the TSDB
// has no created-timestamp storage.
import { WT_FIXED64, WT_VARINT, type ProtoReader } from '@promethium/exposition';
import type { Decoded } from './write-append.js';

/** Reads the Sample message in [r.pos, end). */
export function readSample(r: ProtoReader, end: number, out: Decoded): void {
  let v = 0;
  let t = 0;
  while (r.pos < end) {
    const k = r.uint();
    const f = Math.floor(k / 8);
    if (f === 0) r.fail('field number 0 is not allowed', 'a field tag');
    if (f === 1) { r.want(k & 7, WT_FIXED64, 'Sample.value'); v = r.double(); }
    else if (f === 2) { r.want(k & 7, WT_VARINT, 'Sample.timestamp'); t = r.int64(); }
    else r.skip(k & 7);
  }
  if (r.pos !== end) r.fail('message overruns its length', 'message end');
  out.ts.push(t);
  out.vs.push(v);
}
