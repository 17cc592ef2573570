// Remote write 1.0 and remote read messages (prometheus/prompb): WriteRequest, ReadRequest,
// ReadResponse and the streamed ChunkedReadResponse, on the shared protobuf wire codec.
// Field numbers follow prompb/remote.proto and prompb/types.proto.
import { ProtoReader, ProtoWriter, WT_FIXED64, WT_LEN, WT_VARINT } from '@promethium/exposition';

export interface PbLabel {
  name: string;
  value: string;
}

export interface PbSample {
  value: number;
  timestamp: number;
}

export interface PbTimeSeries {
  labels: PbLabel[];
  samples: PbSample[];
}

export interface PbMetadata {
  /** MetricMetadata.MetricType: 0 unknown, 1 counter, 2 gauge, 3 histogram, 4 gaugehistogram, 5 summary, 6 info, 7 stateset */
  type: number;
  metricFamilyName: string;
  help: string;
  unit: string;
}

export interface PbWriteRequest {
  timeseries: PbTimeSeries[];
  metadata: PbMetadata[];
}

export type PbMatchType = 0 | 1 | 2 | 3; // EQ, NEQ, RE, NRE

export interface PbQuery {
  startTimestampMs: number;
  endTimestampMs: number;
  matchers: { type: PbMatchType; name: string; value: string }[];
  hints?: { stepMs: number; func: string; startMs: number; endMs: number; grouping: string[]; by: boolean; rangeMs: number };
}

export interface PbReadRequest {
  queries: PbQuery[];
  /** 0 SAMPLES, 1 STREAMED_XOR_CHUNKS */
  acceptedResponseTypes: number[];
}

export interface PbChunk {
  minTimeMs: number;
  maxTimeMs: number;
  /** 1 = XOR */
  type: number;
  data: Uint8Array;
}

// ---- encoding

function writeLabels(w: ProtoWriter, field: number, labels: readonly PbLabel[]): void {
  for (const l of labels) {
    const m = w.begin(field);
    w.string(1, l.name);
    w.string(2, l.value);
    w.end(m);
  }
}

function writeSeries(w: ProtoWriter, field: number, ts: PbTimeSeries): void {
  const m = w.begin(field);
  writeLabels(w, 1, ts.labels);
  for (const s of ts.samples) {
    const sm = w.begin(2);
    w.double(1, s.value);
    if (s.timestamp !== 0) {
      w.tag(2, WT_VARINT);
      w.int64(s.timestamp);
    }
    w.end(sm);
  }
  w.end(m);
}

export function encodeWriteRequest(req: PbWriteRequest): Uint8Array {
  const w = new ProtoWriter(64 * 1024);
  for (const ts of req.timeseries) writeSeries(w, 1, ts);
  for (const md of req.metadata) {
    const m = w.begin(3);
    if (md.type !== 0) {
      w.tag(1, WT_VARINT);
      w.uint(md.type);
    }
    w.string(2, md.metricFamilyName);
    if (md.help) w.string(4, md.help);
    if (md.unit) w.string(5, md.unit);
    w.end(m);
  }
  return w.finish();
}

export function encodeReadRequest(req: PbReadRequest): Uint8Array {
  const w = new ProtoWriter();
  for (const q of req.queries) {
    const m = w.begin(1);
    w.tag(1, WT_VARINT);
    w.int64(q.startTimestampMs);
    w.tag(2, WT_VARINT);
    w.int64(q.endTimestampMs);
    for (const mt of q.matchers) {
      const mm = w.begin(3);
      if (mt.type !== 0) {
        w.tag(1, WT_VARINT);
        w.uint(mt.type);
      }
      w.string(2, mt.name);
      w.string(3, mt.value);
      w.end(mm);
    }
    w.end(m);
  }
  for (const t of req.acceptedResponseTypes) {
    w.tag(2, WT_VARINT);
    w.uint(t);
  }
  return w.finish();
}

/** ReadResponse{results: [QueryResult{timeseries}]} for the SAMPLES response type. */
export function encodeReadResponse(results: PbTimeSeries[][]): Uint8Array {
  const w = new ProtoWriter(64 * 1024);
  for (const r of results) {
    const m = w.begin(1);
    for (const ts of r) writeSeries(w, 1, ts);
    w.end(m);
  }
  return w.finish();
}

/** One ChunkedReadResponse message: {chunked_series: [{labels, chunks}], query_index}. */
export function encodeChunkedReadResponse(series: { labels: PbLabel[]; chunks: PbChunk[] }[], queryIndex: number): Uint8Array {
  const w = new ProtoWriter(64 * 1024);
  for (const s of series) {
    const m = w.begin(1);
    writeLabels(w, 1, s.labels);
    for (const c of s.chunks) {
      const cm = w.begin(2);
      w.tag(1, WT_VARINT);
      w.int64(c.minTimeMs);
      w.tag(2, WT_VARINT);
      w.int64(c.maxTimeMs);
      w.tag(3, WT_VARINT);
      w.uint(c.type);
      w.bytes(4, c.data);
      w.end(cm);
    }
    w.end(m);
  }
  if (queryIndex !== 0) {
    w.tag(2, WT_VARINT);
    w.int64(queryIndex);
  }
  return w.finish();
}

// ---- decoding

function fieldLoop(r: ProtoReader, end: number, onField: (field: number, wt: number) => void): void {
  while (r.pos < end) {
    const key = r.uint();
    const field = Math.floor(key / 8);
    const wt = key & 7;
    if (field === 0) r.fail('field number 0 is not allowed', 'a field tag');
    onField(field, wt);
  }
  if (r.pos !== end) r.fail('message overruns its length', 'message end');
}

function readLabel(r: ProtoReader): PbLabel {
  const end = r.len();
  const l: PbLabel = { name: '', value: '' };
  fieldLoop(r, end, (f, wt) => {
    if (f === 1) { r.want(wt, WT_LEN, 'Label.name'); l.name = r.string(); }
    else if (f === 2) { r.want(wt, WT_LEN, 'Label.value'); l.value = r.string(); }
    else r.skip(wt);
  });
  return l;
}

function readSeries(r: ProtoReader): PbTimeSeries {
  const end = r.len();
  const ts: PbTimeSeries = { labels: [], samples: [] };
  fieldLoop(r, end, (f, wt) => {
    if (f === 1) { r.want(wt, WT_LEN, 'TimeSeries.labels'); ts.labels.push(readLabel(r)); }
    else if (f === 2) {
      r.want(wt, WT_LEN, 'TimeSeries.samples');
      const send = r.len();
      const s: PbSample = { value: 0, timestamp: 0 };
      fieldLoop(r, send, (sf, swt) => {
        if (sf === 1) { r.want(swt, WT_FIXED64, 'Sample.value'); s.value = r.double(); }
        else if (sf === 2) { r.want(swt, WT_VARINT, 'Sample.timestamp'); s.timestamp = r.int64(); }
        else r.skip(swt);
      });
      ts.samples.push(s);
    } else r.skip(wt); // exemplars (3) and native histograms (4) are not stored yet
  });
  return ts;
}

export function decodeWriteRequest(buf: Uint8Array): PbWriteRequest {
  const r = new ProtoReader(buf);
  const req: PbWriteRequest = { timeseries: [], metadata: [] };
  fieldLoop(r, buf.length, (f, wt) => {
    if (f === 1) { r.want(wt, WT_LEN, 'WriteRequest.timeseries'); req.timeseries.push(readSeries(r)); }
    else if (f === 3) {
      r.want(wt, WT_LEN, 'WriteRequest.metadata');
      const end = r.len();
      const md: PbMetadata = { type: 0, metricFamilyName: '', help: '', unit: '' };
      fieldLoop(r, end, (mf, mwt) => {
        if (mf === 1) { r.want(mwt, WT_VARINT, 'MetricMetadata.type'); md.type = r.uint(); }
        else if (mf === 2) { r.want(mwt, WT_LEN, 'MetricMetadata.metric_family_name'); md.metricFamilyName = r.string(); }
        else if (mf === 4) { r.want(mwt, WT_LEN, 'MetricMetadata.help'); md.help = r.string(); }
        else if (mf === 5) { r.want(mwt, WT_LEN, 'MetricMetadata.unit'); md.unit = r.string(); }
        else r.skip(mwt);
      });
      req.metadata.push(md);
    } else r.skip(wt);
  });
  return req;
}

export function decodeReadRequest(buf: Uint8Array): PbReadRequest {
  const r = new ProtoReader(buf);
  const req: PbReadRequest = { queries: [], acceptedResponseTypes: [] };
  fieldLoop(r, buf.length, (f, wt) => {
    if (f === 1) {
      r.want(wt, WT_LEN, 'ReadRequest.queries');
      const end = r.len();
      const q: PbQuery = { startTimestampMs: 0, endTimestampMs: 0, matchers: [] };
      fieldLoop(r, end, (qf, qwt) => {
        if (qf === 1) { r.want(qwt, WT_VARINT, 'Query.start_timestamp_ms'); q.startTimestampMs = r.int64(); }
        else if (qf === 2) { r.want(qwt, WT_VARINT, 'Query.end_timestamp_ms'); q.endTimestampMs = r.int64(); }
        else if (qf === 3) {
          r.want(qwt, WT_LEN, 'Query.matchers');
          const mend = r.len();
          const m = { type: 0 as PbMatchType, name: '', value: '' };
          fieldLoop(r, mend, (mf, mwt) => {
            if (mf === 1) {
              r.want(mwt, WT_VARINT, 'LabelMatcher.type');
              const t = r.uint();
              if (t > 3) r.fail(`unknown matcher type ${t}`, 'EQ, NEQ, RE or NRE');
              m.type = t as PbMatchType;
            } else if (mf === 2) { r.want(mwt, WT_LEN, 'LabelMatcher.name'); m.name = r.string(); }
            else if (mf === 3) { r.want(mwt, WT_LEN, 'LabelMatcher.value'); m.value = r.string(); }
            else r.skip(mwt);
          });
          q.matchers.push(m);
        } else r.skip(qwt); // hints are advisory
      });
      req.queries.push(q);
    } else if (f === 2) {
      // accepted_response_types: packed or not
      if (wt === WT_LEN) {
        const end = r.len();
        while (r.pos < end) req.acceptedResponseTypes.push(r.uint());
      } else { r.want(wt, WT_VARINT, 'ReadRequest.accepted_response_types'); req.acceptedResponseTypes.push(r.uint()); }
    } else r.skip(wt);
  });
  return req;
}

export function decodeReadResponse(buf: Uint8Array): PbTimeSeries[][] {
  const r = new ProtoReader(buf);
  const results: PbTimeSeries[][] = [];
  fieldLoop(r, buf.length, (f, wt) => {
    if (f === 1) {
      r.want(wt, WT_LEN, 'ReadResponse.results');
      const end = r.len();
      const series: PbTimeSeries[] = [];
      fieldLoop(r, end, (qf, qwt) => {
        if (qf === 1) { r.want(qwt, WT_LEN, 'QueryResult.timeseries'); series.push(readSeries(r)); }
        else r.skip(qwt);
      });
      results.push(series);
    } else r.skip(wt);
  });
  return results;
}
