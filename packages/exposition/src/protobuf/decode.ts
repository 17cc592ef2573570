// decodeProtobuf: the delimited io.prometheus.client.MetricFamily format into metric families.
// Classic histograms and summaries become the same _bucket/_sum/_count/quantile samples the text
// formats have (le/quantile formatted as Go does); a native histogram becomes one sample with
// `histogram` set. Created timestamps become `_created` samples (seconds), as in OpenMetrics.
import { formatValue } from '../format-value.js';
import type { Exemplar, MetricFamily, MetricType, NativeHistogram, Sample } from '../model.js';
import { setLabel } from '../text/sample-parser.js';
import { Reader, WT_FIXED64, WT_LEN, WT_VARINT } from './wire.js';

const TYPES: MetricType[] = ['counter', 'gauge', 'summary', 'unknown', 'histogram', 'gaugehistogram'];

/** Decodes a body of uvarint-length-prefixed MetricFamily messages. Throws ExpositionError with a byte offset. */
export function decodeProtobuf(input: Uint8Array): MetricFamily[] {
  const r = new Reader(input);
  const out: MetricFamily[] = [];
  while (r.pos < input.length) {
    const end = r.len();
    const outer = r.end;
    r.end = end;
    out.push(readFamily(r));
    r.pos = end;
    r.end = outer;
  }
  return out;
}

interface RawMetric {
  labels: Record<string, string>;
  timestampMs?: number;
  kind: number; // field number of the payload: 2 gauge, 3 counter, 4 summary, 5 untyped, 7 histogram
  value: number;
  exemplar?: Exemplar;
  createdSeconds?: number;
  summary?: { count: number; sum: number; quantiles: [number, number][] };
  histogram?: RawHistogram;
}

interface RawHistogram {
  count: number;
  sum: number;
  buckets: { upper: number; count: number; exemplar?: Exemplar }[];
  native: NativeHistogram;
  isNative: boolean;
  exemplars: Exemplar[];
}

function readFamily(r: Reader): MetricFamily {
  const end = r.end;
  let name = '';
  let help: string | undefined;
  let unit = '';
  let typeNum = 3;
  const metrics: RawMetric[] = [];
  while (r.pos < end) {
    const key = r.uint();
    const field = key >>> 3;
    const wt = key & 7;
    switch (field) {
      case 1:
        r.want(wt, WT_LEN, 'MetricFamily.name');
        name = r.string();
        break;
      case 2:
        r.want(wt, WT_LEN, 'MetricFamily.help');
        help = r.string();
        break;
      case 3: {
        r.want(wt, WT_VARINT, 'MetricFamily.type');
        const at = r.pos;
        typeNum = r.int32();
        if (TYPES[typeNum] === undefined) r.fail(`unknown metric type ${typeNum}`, 'MetricType 0..5', at);
        break;
      }
      case 4:
        r.want(wt, WT_LEN, 'MetricFamily.metric');
        metrics.push(sub(r, readMetric));
        break;
      case 5:
        r.want(wt, WT_LEN, 'MetricFamily.unit');
        unit = r.string();
        break;
      default:
        r.skip(wt);
    }
  }
  if (name === '') r.fail('metric family without a name', 'MetricFamily.name');
  const type = TYPES[typeNum]!;
  const f: MetricFamily = { name, type, samples: [] };
  if (help !== undefined) f.help = help;
  if (unit !== '') f.unit = unit;
  for (const m of metrics) toSamples(f, m);
  return f;
}

/** Runs `read` over a length-delimited sub-message. */
function sub<T>(r: Reader, read: (r: Reader) => T): T {
  const end = r.len();
  const outer = r.end;
  r.end = end;
  const v = read(r);
  r.pos = end;
  r.end = outer;
  return v;
}

function readLabelPair(r: Reader): [string, string] {
  let name = '';
  let value = '';
  while (r.pos < r.end) {
    const key = r.uint();
    const wt = key & 7;
    if (key >>> 3 === 1 && wt === WT_LEN) name = r.string();
    else if (key >>> 3 === 2 && wt === WT_LEN) value = r.string();
    else r.skip(wt);
  }
  return [name, value];
}

/** Reads a message whose only field of interest is a double at field 1 (Gauge, Untyped). */
function readValueOnly(r: Reader): number {
  let v = 0;
  while (r.pos < r.end) {
    const key = r.uint();
    if (key === ((1 << 3) | WT_FIXED64)) v = r.double();
    else r.skip(key & 7);
  }
  return v;
}

function readTimestamp(r: Reader): number {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < r.end) {
    const key = r.uint();
    if (key === ((1 << 3) | WT_VARINT)) seconds = r.int64();
    else if (key === ((2 << 3) | WT_VARINT)) nanos = r.int32();
    else r.skip(key & 7);
  }
  return seconds + nanos / 1e9;
}

function readExemplar(r: Reader): Exemplar {
  const labels: Record<string, string> = {};
  const e: Exemplar = { labels, value: 0 };
  while (r.pos < r.end) {
    const key = r.uint();
    const wt = key & 7;
    switch (key >>> 3) {
      case 1: {
        r.want(wt, WT_LEN, 'Exemplar.label');
        const [n, v] = sub(r, readLabelPair);
        setLabel(labels, n, v);
        break;
      }
      case 2:
        r.want(wt, WT_FIXED64, 'Exemplar.value');
        e.value = r.double();
        break;
      case 3:
        r.want(wt, WT_LEN, 'Exemplar.timestamp');
        e.timestamp = sub(r, readTimestamp);
        break;
      default:
        r.skip(wt);
    }
  }
  return e;
}

function readMetric(r: Reader): RawMetric {
  const m: RawMetric = { labels: {}, kind: 0, value: 0 };
  while (r.pos < r.end) {
    const key = r.uint();
    const wt = key & 7;
    const field = key >>> 3;
    switch (field) {
      case 1: {
        r.want(wt, WT_LEN, 'Metric.label');
        const [n, v] = sub(r, readLabelPair);
        setLabel(m.labels, n, v);
        break;
      }
      case 2:
      case 5:
        r.want(wt, WT_LEN, field === 2 ? 'Metric.gauge' : 'Metric.untyped');
        m.kind = field;
        m.value = sub(r, readValueOnly);
        break;
      case 3:
        r.want(wt, WT_LEN, 'Metric.counter');
        m.kind = 3;
        sub(r, (rr) => readCounter(rr, m));
        break;
      case 4:
        r.want(wt, WT_LEN, 'Metric.summary');
        m.kind = 4;
        sub(r, (rr) => readSummary(rr, m));
        break;
      case 6:
        r.want(wt, WT_VARINT, 'Metric.timestamp_ms');
        m.timestampMs = r.int64();
        break;
      case 7:
        r.want(wt, WT_LEN, 'Metric.histogram');
        m.kind = 7;
        m.histogram = sub(r, (rr) => readHistogram(rr, m));
        break;
      default:
        r.skip(wt);
    }
  }
  return m;
}

function readCounter(r: Reader, m: RawMetric): void {
  while (r.pos < r.end) {
    const key = r.uint();
    const wt = key & 7;
    switch (key >>> 3) {
      case 1:
        r.want(wt, WT_FIXED64, 'Counter.value');
        m.value = r.double();
        break;
      case 2:
        r.want(wt, WT_LEN, 'Counter.exemplar');
        m.exemplar = sub(r, readExemplar);
        break;
      case 3:
        r.want(wt, WT_LEN, 'Counter.created_timestamp');
        m.createdSeconds = sub(r, readTimestamp);
        break;
      default:
        r.skip(wt);
    }
  }
}

function readSummary(r: Reader, m: RawMetric): void {
  const s = { count: 0, sum: 0, quantiles: [] as [number, number][] };
  m.summary = s;
  while (r.pos < r.end) {
    const key = r.uint();
    const wt = key & 7;
    switch (key >>> 3) {
      case 1:
        r.want(wt, WT_VARINT, 'Summary.sample_count');
        s.count = r.uint();
        break;
      case 2:
        r.want(wt, WT_FIXED64, 'Summary.sample_sum');
        s.sum = r.double();
        break;
      case 3:
        r.want(wt, WT_LEN, 'Summary.quantile');
        s.quantiles.push(
          sub(r, (rr) => {
            let q = 0;
            let v = 0;
            while (rr.pos < rr.end) {
              const k = rr.uint();
              if (k === ((1 << 3) | WT_FIXED64)) q = rr.double();
              else if (k === ((2 << 3) | WT_FIXED64)) v = rr.double();
              else rr.skip(k & 7);
            }
            return [q, v] as [number, number];
          }),
        );
        break;
      case 4:
        r.want(wt, WT_LEN, 'Summary.created_timestamp');
        m.createdSeconds = sub(r, readTimestamp);
        break;
      default:
        r.skip(wt);
    }
  }
}

function readSpan(r: Reader): { offset: number; length: number } {
  const span = { offset: 0, length: 0 };
  while (r.pos < r.end) {
    const key = r.uint();
    if (key === ((1 << 3) | WT_VARINT)) span.offset = r.sint();
    else if (key === ((2 << 3) | WT_VARINT)) span.length = r.uint();
    else r.skip(key & 7);
  }
  return span;
}

/** Repeated scalars arrive packed (one length-delimited run) or one per tag; accept both. */
function repeated(r: Reader, wt: number, scalarWt: number, read: () => number, out: number[], field: string): void {
  if (wt === WT_LEN) {
    const end = r.len();
    const outer = r.end;
    r.end = end;
    while (r.pos < end) out.push(read());
    r.end = outer;
    return;
  }
  r.want(wt, scalarWt, field);
  out.push(read());
}

function readHistogram(r: Reader, m: RawMetric): RawHistogram {
  let count = 0;
  let countFloat = 0;
  let zeroCount = 0;
  let zeroCountFloat = 0;
  const h: RawHistogram = {
    count: 0,
    sum: 0,
    buckets: [],
    native: { schema: 0, zeroThreshold: 0, zeroCount: 0, count: 0, sum: 0, positiveSpans: [], negativeSpans: [], positiveBuckets: [], negativeBuckets: [] },
    isNative: false,
    exemplars: [],
  };
  const posDelta: number[] = [];
  const negDelta: number[] = [];
  const posCount: number[] = [];
  const negCount: number[] = [];
  while (r.pos < r.end) {
    const key = r.uint();
    const wt = key & 7;
    switch (key >>> 3) {
      case 1:
        r.want(wt, WT_VARINT, 'Histogram.sample_count');
        count = r.uint();
        break;
      case 2:
        r.want(wt, WT_FIXED64, 'Histogram.sample_sum');
        h.sum = r.double();
        break;
      case 3:
        r.want(wt, WT_LEN, 'Histogram.bucket');
        h.buckets.push(sub(r, readBucket));
        break;
      case 4:
        r.want(wt, WT_FIXED64, 'Histogram.sample_count_float');
        countFloat = r.double();
        break;
      case 5:
        r.want(wt, WT_VARINT, 'Histogram.schema');
        h.native.schema = r.sint();
        h.isNative = true;
        break;
      case 6:
        r.want(wt, WT_FIXED64, 'Histogram.zero_threshold');
        h.native.zeroThreshold = r.double();
        break;
      case 7:
        r.want(wt, WT_VARINT, 'Histogram.zero_count');
        zeroCount = r.uint();
        break;
      case 8:
        r.want(wt, WT_FIXED64, 'Histogram.zero_count_float');
        zeroCountFloat = r.double();
        break;
      case 9:
        r.want(wt, WT_LEN, 'Histogram.negative_span');
        h.native.negativeSpans.push(sub(r, readSpan));
        break;
      case 10:
        repeated(r, wt, WT_VARINT, () => r.sint(), negDelta, 'Histogram.negative_delta');
        break;
      case 11:
        repeated(r, wt, WT_FIXED64, () => r.double(), negCount, 'Histogram.negative_count');
        break;
      case 12:
        r.want(wt, WT_LEN, 'Histogram.positive_span');
        h.native.positiveSpans.push(sub(r, readSpan));
        break;
      case 13:
        repeated(r, wt, WT_VARINT, () => r.sint(), posDelta, 'Histogram.positive_delta');
        break;
      case 14:
        repeated(r, wt, WT_FIXED64, () => r.double(), posCount, 'Histogram.positive_count');
        break;
      case 15:
        r.want(wt, WT_LEN, 'Histogram.created_timestamp');
        m.createdSeconds = sub(r, readTimestamp);
        break;
      case 16:
        r.want(wt, WT_LEN, 'Histogram.exemplars');
        h.exemplars.push(sub(r, readExemplar));
        break;
      default:
        r.skip(wt);
    }
  }
  const floats = countFloat > 0 || zeroCountFloat > 0 || posCount.length > 0 || negCount.length > 0;
  h.count = countFloat > 0 ? countFloat : count;
  const n = h.native;
  // As Prometheus decides: any native field in use makes it a native histogram.
  h.isNative ||= n.zeroThreshold > 0 || zeroCount > 0 || zeroCountFloat > 0 || n.positiveSpans.length > 0 || n.negativeSpans.length > 0;
  n.count = h.count;
  n.sum = h.sum;
  n.zeroCount = zeroCountFloat > 0 ? zeroCountFloat : zeroCount;
  n.positiveBuckets = floats ? posCount : absolute(posDelta);
  n.negativeBuckets = floats ? negCount : absolute(negDelta);
  if (floats) n.floatCounts = true;
  return h;
}

function absolute(deltas: number[]): number[] {
  let v = 0;
  return deltas.map((d) => (v += d));
}

function readBucket(r: Reader): RawHistogram['buckets'][number] {
  const b: RawHistogram['buckets'][number] = { upper: 0, count: 0 };
  let countFloat = 0;
  while (r.pos < r.end) {
    const key = r.uint();
    const wt = key & 7;
    switch (key >>> 3) {
      case 1:
        r.want(wt, WT_VARINT, 'Bucket.cumulative_count');
        b.count = r.uint();
        break;
      case 2:
        r.want(wt, WT_FIXED64, 'Bucket.upper_bound');
        b.upper = r.double();
        break;
      case 3:
        r.want(wt, WT_LEN, 'Bucket.exemplar');
        b.exemplar = sub(r, readExemplar);
        break;
      case 4:
        r.want(wt, WT_FIXED64, 'Bucket.cumulative_count_float');
        countFloat = r.double();
        break;
      default:
        r.skip(wt);
    }
  }
  if (countFloat > 0) b.count = countFloat;
  return b;
}

function withLabel(labels: Record<string, string>, name: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in labels) setLabel(out, k, labels[k]!);
  setLabel(out, name, value);
  return out;
}

function toSamples(f: MetricFamily, m: RawMetric): void {
  const push = (name: string, labels: Record<string, string>, value: number, exemplar?: Exemplar): Sample => {
    const s: Sample = { name, labels, value };
    if (m.timestampMs !== undefined) s.timestampMs = m.timestampMs;
    if (exemplar !== undefined) s.exemplar = exemplar;
    f.samples.push(s);
    return s;
  };
  const base = f.type === 'counter' && f.name.endsWith('_total') ? f.name.slice(0, -6) : f.name;
  switch (f.type) {
    case 'counter':
      push(f.name, m.labels, m.value, m.exemplar);
      break;
    case 'summary': {
      const s = m.summary ?? { count: 0, sum: 0, quantiles: [] };
      for (const [q, v] of s.quantiles) push(f.name, withLabel(m.labels, 'quantile', formatValue(q)), v);
      push(f.name + '_sum', m.labels, s.sum);
      push(f.name + '_count', m.labels, s.count);
      break;
    }
    case 'histogram':
    case 'gaugehistogram': {
      const h = m.histogram;
      if (h === undefined) break;
      const gauge = f.type === 'gaugehistogram';
      if (!h.isNative || h.buckets.length > 0) {
        let inf = false;
        for (const b of h.buckets) {
          if (b.upper === Infinity) inf = true;
          push(f.name + '_bucket', withLabel(m.labels, 'le', formatValue(b.upper)), b.count, b.exemplar);
        }
        // expfmt adds the optional +Inf bucket when it is missing.
        if (!inf) push(f.name + '_bucket', withLabel(m.labels, 'le', '+Inf'), h.count);
        push(f.name + (gauge ? '_gsum' : '_sum'), m.labels, h.sum);
        push(f.name + (gauge ? '_gcount' : '_count'), m.labels, h.count);
      }
      if (h.isNative) {
        const s = push(f.name, m.labels, NaN, h.exemplars[0]);
        s.histogram = h.native;
      }
      break;
    }
    default:
      push(f.name, m.labels, m.value);
  }
  if (m.createdSeconds !== undefined) push(base + '_created', m.labels, m.createdSeconds);
}
