// Groups a family's samples into Go client_model "Metrics": one per label set, with a
// histogram's buckets/sum/count (or a summary's quantiles/sum/count) folded together. The
// real Pushgateway thinks in these units: API v1 JSON, error messages and protobuf use them.
import type { MetricFamily, MetricType, NativeHistogram, Sample } from '@promethium/exposition';

export type GoType = 'COUNTER' | 'GAUGE' | 'SUMMARY' | 'UNTYPED' | 'HISTOGRAM' | 'GAUGE_HISTOGRAM';

export function goType(t: MetricType): GoType {
  switch (t) {
    case 'counter':
      return 'COUNTER';
    case 'gauge':
    case 'info':
    case 'stateset':
      return 'GAUGE';
    case 'summary':
      return 'SUMMARY';
    case 'histogram':
      return 'HISTOGRAM';
    case 'gaugehistogram':
      return 'GAUGE_HISTOGRAM';
    default:
      return 'UNTYPED';
  }
}

export interface GoMetric {
  /** Labels without le/quantile, sorted by name. */
  labels: Record<string, string>;
  /** counter, gauge, untyped. */
  value?: number;
  count?: number;
  sum?: number;
  quantiles?: [number, number][];
  /** [upper bound, cumulative count]. */
  buckets?: [number, number][];
  native?: NativeHistogram;
}

function isHistogram(t: MetricType): boolean {
  return t === 'histogram' || t === 'gaugehistogram';
}

/** The label that a sample of this family type carries beside the metric's own labels. */
export function innerLabel(type: MetricType, sampleName: string): string | undefined {
  if (type === 'summary') return 'quantile';
  if (isHistogram(type) && sampleName.endsWith('_bucket')) return 'le';
  return undefined;
}

function baseKey(labels: Record<string, string>, skip: string | undefined): string {
  let k = '';
  for (const n of Object.keys(labels).sort()) if (n !== skip) k += `${n}\xff${labels[n]}\xfe`;
  return k;
}

function parseBound(s: string | undefined): number {
  if (s === undefined) return NaN;
  if (s === '+Inf' || s === 'Inf' || s === '+inf') return Infinity;
  if (s === '-Inf' || s === '-inf') return -Infinity;
  return Number(s);
}

export function toGoMetrics(family: MetricFamily): GoMetric[] {
  const out = new Map<string, GoMetric>();
  const complex = family.type === 'summary' || isHistogram(family.type);
  for (const s of family.samples) {
    const skip = innerLabel(family.type, s.name);
    const key = complex ? baseKey(s.labels, skip) : baseKey(s.labels, undefined);
    let m = out.get(key);
    if (!m || !complex) {
      const labels: Record<string, string> = {};
      for (const n of Object.keys(s.labels).sort()) if (n !== skip) labels[n] = s.labels[n]!;
      m = { labels };
      out.set(complex ? key : `${key}\x00${out.size}`, m);
    }
    foldSample(family, s, m);
  }
  return [...out.values()];
}

function foldSample(family: MetricFamily, s: Sample, m: GoMetric): void {
  if (s.histogram) {
    m.native = s.histogram;
    m.count = s.histogram.count;
    m.sum = s.histogram.sum;
    return;
  }
  const suffix = s.name.slice(family.name.length);
  if (family.type === 'summary') {
    if (suffix === '_sum') m.sum = s.value;
    else if (suffix === '_count') m.count = s.value;
    else (m.quantiles ??= []).push([parseBound(s.labels.quantile), s.value]);
  } else if (isHistogram(family.type)) {
    if (suffix === '_sum' || suffix === '_gsum') m.sum = s.value;
    else if (suffix === '_count' || suffix === '_gcount') m.count = s.value;
    else if (suffix === '_bucket') (m.buckets ??= []).push([parseBound(s.labels.le), s.value]);
  } else {
    m.value = s.value;
  }
}
