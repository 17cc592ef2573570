// encodeProtobuf: metric families into the delimited io.prometheus.client.MetricFamily format.
// Samples are regrouped into Metrics by label set (without le/quantile); _bucket/_sum/_count and
// quantile samples fill Histogram/Summary fields, `_created` samples the created timestamps.
import type { Exemplar, MetricFamily, NativeHistogram, Sample } from '../model.js';
import { parseFloatText } from '../numbers.js';
import { WT_VARINT, Writer } from './wire.js';

const TYPE_NUM = { counter: 0, gauge: 1, summary: 2, unknown: 3, histogram: 4, gaugehistogram: 5, info: 1, stateset: 1 } as const;

interface MetricAcc {
  labels: Record<string, string>;
  timestampMs?: number;
  value: number;
  exemplar?: Exemplar;
  created?: number;
  sum: number;
  count: number;
  quantiles: [number, number][];
  buckets: { upper: number; count: number; exemplar?: Exemplar }[];
  native?: Sample;
}

/** Encodes families as uvarint-delimited MetricFamily messages. */
export function encodeProtobuf(families: readonly MetricFamily[]): Uint8Array {
  const w = new Writer(4096);
  for (const f of families) {
    const start = w.beginUntagged();
    writeFamily(w, f);
    w.end(start);
  }
  return w.finish();
}

function familyName(f: MetricFamily): string {
  if (f.type === 'counter' && !f.name.endsWith('_total') && f.samples.some((s) => s.name === f.name + '_total')) return f.name + '_total';
  if (f.type === 'info' && !f.name.endsWith('_info')) return f.name + '_info';
  return f.name;
}

function writeFamily(w: Writer, f: MetricFamily): void {
  const name = familyName(f);
  w.string(1, name);
  if (f.help !== undefined) w.string(2, f.help);
  w.tag(3, WT_VARINT);
  w.uint(TYPE_NUM[f.type]);
  for (const m of group(f, name)) writeMetric(w, f, m);
  if (f.unit !== undefined && f.unit !== '') w.string(5, f.unit);
}

function group(f: MetricFamily, name: string): MetricAcc[] {
  const byKey = new Map<string, MetricAcc>();
  const base = name.endsWith('_total') && f.type === 'counter' ? name.slice(0, -6) : f.name;
  for (const s of f.samples) {
    let drop: string | undefined;
    const suffix = s.name.slice(f.name.length);
    if ((f.type === 'histogram' || f.type === 'gaugehistogram') && suffix === '_bucket') drop = 'le';
    if (f.type === 'summary' && s.name === f.name && s.histogram === undefined) drop = 'quantile';
    const key = labelKey(s.labels, drop);
    let m = byKey.get(key);
    if (m === undefined) {
      const labels: Record<string, string> = {};
      for (const k in s.labels) if (k !== drop) labels[k] = s.labels[k]!;
      m = { labels, value: 0, sum: 0, count: 0, quantiles: [], buckets: [] };
      byKey.set(key, m);
    }
    if (s.timestampMs !== undefined && m.timestampMs === undefined && !s.name.endsWith('_created')) m.timestampMs = s.timestampMs;
    if (s.histogram !== undefined) {
      m.native = s;
      continue;
    }
    if (s.name === base + '_created' && (f.type === 'counter' || f.type === 'summary' || f.type === 'histogram')) {
      m.created = s.value;
      continue;
    }
    switch (f.type) {
      case 'summary':
        if (suffix === '_sum') m.sum = s.value;
        else if (suffix === '_count') m.count = s.value;
        else m.quantiles.push([num(s.labels.quantile), s.value]);
        break;
      case 'histogram':
      case 'gaugehistogram':
        if (suffix === '_bucket') {
          const b: MetricAcc['buckets'][number] = { upper: num(s.labels.le), count: s.value };
          if (s.exemplar !== undefined) b.exemplar = s.exemplar;
          m.buckets.push(b);
        } else if (suffix === '_sum' || suffix === '_gsum') m.sum = s.value;
        else if (suffix === '_count' || suffix === '_gcount') m.count = s.value;
        break;
      default:
        m.value = s.value;
        if (s.exemplar !== undefined) m.exemplar = s.exemplar;
    }
  }
  return [...byKey.values()];
}

function num(s: string | undefined): number {
  if (s === undefined) return NaN;
  return parseFloatText(s, 0, s.length) ?? NaN;
}

function labelKey(labels: Record<string, string>, drop: string | undefined): string {
  const names = Object.keys(labels).sort();
  let k = '';
  for (const n of names) if (n !== drop) k += n + '\u0000' + labels[n] + '\u0001';
  return k;
}

function writeMetric(w: Writer, f: MetricFamily, m: MetricAcc): void {
  const mark = w.begin(4);
  for (const k in m.labels) {
    const lm = w.begin(1);
    w.string(1, k);
    w.string(2, m.labels[k]!);
    w.end(lm);
  }
  switch (f.type) {
    case 'counter': {
      const c = w.begin(3);
      w.double(1, m.value);
      if (m.exemplar !== undefined) writeExemplar(w, 2, m.exemplar);
      if (m.created !== undefined) writeTimestamp(w, 3, m.created);
      w.end(c);
      break;
    }
    case 'summary': {
      const s = w.begin(4);
      writeCount(w, 1, undefined, m.count);
      w.double(2, m.sum);
      for (const [q, v] of m.quantiles) {
        const qm = w.begin(3);
        w.double(1, q);
        w.double(2, v);
        w.end(qm);
      }
      if (m.created !== undefined) writeTimestamp(w, 4, m.created);
      w.end(s);
      break;
    }
    case 'histogram':
    case 'gaugehistogram':
      writeHistogram(w, m);
      break;
    case 'unknown': {
      const u = w.begin(5);
      w.double(1, m.value);
      w.end(u);
      break;
    }
    default: {
      const g = w.begin(2);
      w.double(1, m.value);
      w.end(g);
    }
  }
  if (m.timestampMs !== undefined) {
    w.tag(6, WT_VARINT);
    w.int64(m.timestampMs);
  }
  w.end(mark);
}

/** Integral non-negative counts go in the uint64 field, anything else in the float override. */
function writeCount(w: Writer, intField: number, floatField: number | undefined, v: number): void {
  if (Number.isInteger(v) && v >= 0) {
    w.tag(intField, WT_VARINT);
    w.uint(v);
  } else if (floatField !== undefined) {
    w.double(floatField, v);
  }
}

function writeHistogram(w: Writer, m: MetricAcc): void {
  const h = w.begin(7);
  const n: NativeHistogram | undefined = m.native?.histogram;
  const count = m.buckets.length > 0 || n === undefined ? m.count : n.count;
  const sum = m.buckets.length > 0 || n === undefined ? m.sum : n.sum;
  if (n?.floatCounts === true) w.double(4, count);
  else writeCount(w, 1, 4, count);
  w.double(2, sum);
  for (const b of m.buckets) {
    const bm = w.begin(3);
    writeCount(w, 1, 4, b.count);
    w.double(2, b.upper);
    if (b.exemplar !== undefined) writeExemplar(w, 3, b.exemplar);
    w.end(bm);
  }
  if (n !== undefined) {
    w.tag(5, WT_VARINT);
    w.sint(n.schema);
    w.double(6, n.zeroThreshold);
    if (n.floatCounts === true) w.double(8, n.zeroCount);
    else writeCount(w, 7, 8, n.zeroCount);
    writeSpans(w, 9, n.negativeSpans);
    writeBuckets(w, n.floatCounts === true ? 11 : 10, n.negativeBuckets, n.floatCounts === true);
    writeSpans(w, 12, n.positiveSpans);
    writeBuckets(w, n.floatCounts === true ? 14 : 13, n.positiveBuckets, n.floatCounts === true);
  }
  if (m.created !== undefined) writeTimestamp(w, 15, m.created);
  if (m.native?.exemplar !== undefined) writeExemplar(w, 16, m.native.exemplar);
  w.end(h);
}

function writeSpans(w: Writer, field: number, spans: { offset: number; length: number }[]): void {
  for (const s of spans) {
    const sm = w.begin(field);
    w.tag(1, WT_VARINT);
    w.sint(s.offset);
    w.tag(2, WT_VARINT);
    w.uint(s.length);
    w.end(sm);
  }
}

/** Packed: absolute float counts as doubles, integer counts as zigzag deltas. */
function writeBuckets(w: Writer, field: number, counts: number[], floats: boolean): void {
  if (counts.length === 0) return;
  const mark = w.begin(field);
  let prev = 0;
  for (const c of counts) {
    if (floats) w.rawDouble(c);
    else {
      w.sint(c - prev);
      prev = c;
    }
  }
  w.end(mark);
}

function writeExemplar(w: Writer, field: number, e: Exemplar): void {
  const em = w.begin(field);
  for (const k in e.labels) {
    const lm = w.begin(1);
    w.string(1, k);
    w.string(2, e.labels[k]!);
    w.end(lm);
  }
  w.double(2, e.value);
  if (e.timestamp !== undefined) writeTimestamp(w, 3, e.timestamp);
  w.end(em);
}

function writeTimestamp(w: Writer, field: number, seconds: number): void {
  const tm = w.begin(field);
  let s = Math.floor(seconds);
  let nanos = Math.round((seconds - s) * 1e9);
  if (nanos >= 1e9) {
    s += 1;
    nanos -= 1e9;
  }
  w.tag(1, WT_VARINT);
  w.int64(s);
  if (nanos !== 0) {
    w.tag(2, WT_VARINT);
    w.uint(nanos);
  }
  w.end(tm);
}

