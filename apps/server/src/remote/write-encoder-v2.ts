// Encodes a batch as a remote-write 2.0 io.prometheus.write.v2.Request: every string goes once
// into the request's symbol table (symbols[0] is ""), and each series refers to its label
// names and values by index (packed labels_refs). One TimeSeries per sample, as Prometheus
// sends them. The table is written first so a streaming receiver has it before the series.
import { ProtoWriter, WT_VARINT } from '@promethium/exposition';
import { isStaleNaN } from '@promethium/tsdb-core';

const STALE_LE = new Uint8Array([2, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

export class WriteRequestV2Encoder {
  /**
   * The encoded request. pairs[i] is sample i's series as a flat, name-sorted
   * [name, value, name, value, ...] list.
   */
  encode(pairs: readonly (readonly string[])[], ts: readonly number[], vs: readonly number[]): Uint8Array {
    const refs = new Map<string, number>([['', 0]]);
    const symbols = [''];
    const ref = (s: string): number => {
      let r = refs.get(s);
      if (r === undefined) {
        r = symbols.length;
        refs.set(s, r);
        symbols.push(s);
      }
      return r;
    };
    const series = new ProtoWriter(64 * ts.length + 64);
    for (let i = 0; i < ts.length; i++) {
      const p = pairs[i]!;
      const t = ts[i]!;
      const v = vs[i]!;
      const m = series.begin(5); // Request.timeseries
      const lr = series.begin(1); // TimeSeries.labels_refs, packed
      for (const s of p) series.uint(ref(s));
      series.end(lr);
      const sm = series.begin(2); // TimeSeries.samples
      series.double(1, v); // Sample.value
      // NaN payloads are not guaranteed to survive a DataView write: spell the stale marker out.
      if (v !== v && isStaleNaN(v)) series.buf.set(STALE_LE, series.pos - 8);
      if (t !== 0) {
        series.tag(2, WT_VARINT); // Sample.timestamp
        series.int64(t);
      }
      series.end(sm);
      series.end(m);
    }
    const body = series.finish();
    const head = new ProtoWriter(16 * symbols.length + 16);
    for (const s of symbols) head.string(4, s); // Request.symbols
    const h = head.finish();
    const out = new Uint8Array(h.length + body.length);
    out.set(h, 0);
    out.set(body, h.length);
    return out;
  }
}
