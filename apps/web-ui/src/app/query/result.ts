// Typed, validated query results (/api/v1/query and /api/v1/query_range "data").
import { ApiError, asArray, asLabels, asString, isRecord } from '../lib/api.js';

export type Metric = Record<string, string>;
/** [unix seconds, value as sent: a float string, "NaN", "+Inf"...] */
export type Point = [number, string];
export interface HistogramBucket {
  boundaryRule: number;
  lower: string;
  upper: string;
  count: string;
}
export interface HistogramPoint {
  t: number;
  count: string;
  sum: string;
  buckets: HistogramBucket[];
}
export interface InstantSample {
  metric: Metric;
  value?: Point;
  histogram?: HistogramPoint;
}
export interface RangeSeries {
  metric: Metric;
  values: Point[];
  histograms: HistogramPoint[];
}

export type QueryResult =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar'; result: Point }
  | { resultType: 'string'; result: Point };

function bad(where: string, what: string): ApiError {
  return new ApiError(`${where}: ${what}`, 200, 'bad_response', where);
}

function asPoint(v: unknown, where: string): Point {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'string') {
    throw bad(where, 'expected [timestamp, "value"]');
  }
  return [v[0], v[1]];
}

function asHistogramPoint(v: unknown, where: string): HistogramPoint {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || !isRecord(v[1])) {
    throw bad(where, 'expected [timestamp, {count, sum, buckets}]');
  }
  const h = v[1];
  const buckets = h.buckets === undefined ? [] : asArray(h.buckets, `${where}.buckets`);
  return {
    t: v[0],
    count: asString(h.count, `${where}.count`),
    sum: asString(h.sum, `${where}.sum`),
    buckets: buckets.map((b, i) => {
      if (!Array.isArray(b) || b.length !== 4) throw bad(`${where}.buckets[${i}]`, 'expected [rule, lower, upper, count]');
      return { boundaryRule: Number(b[0]), lower: String(b[1]), upper: String(b[2]), count: String(b[3]) };
    }),
  };
}

export function parseQueryResult(data: unknown): QueryResult {
  if (!isRecord(data)) throw bad('data', 'expected an object');
  const type = data.resultType;
  switch (type) {
    case 'vector':
      return {
        resultType: 'vector',
        result: asArray(data.result, 'data.result').map((s, i) => {
          const where = `data.result[${i}]`;
          if (!isRecord(s)) throw bad(where, 'expected an object');
          const out: InstantSample = { metric: asLabels(s.metric, `${where}.metric`) };
          if (s.value !== undefined) out.value = asPoint(s.value, `${where}.value`);
          if (s.histogram !== undefined) out.histogram = asHistogramPoint(s.histogram, `${where}.histogram`);
          if (!out.value && !out.histogram) throw bad(where, 'a sample needs "value" or "histogram"');
          return out;
        }),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: asArray(data.result, 'data.result').map((s, i) => {
          const where = `data.result[${i}]`;
          if (!isRecord(s)) throw bad(where, 'expected an object');
          return {
            metric: asLabels(s.metric, `${where}.metric`),
            values: (s.values === undefined ? [] : asArray(s.values, `${where}.values`)).map((p, j) => asPoint(p, `${where}.values[${j}]`)),
            histograms: (s.histograms === undefined ? [] : asArray(s.histograms, `${where}.histograms`)).map((p, j) =>
              asHistogramPoint(p, `${where}.histograms[${j}]`),
            ),
          };
        }),
      };
    case 'scalar':
    case 'string':
      return { resultType: type, result: asPoint(data.result, 'data.result') };
    default:
      throw bad('data.resultType', `unknown result type ${JSON.stringify(type)}`);
  }
}

/** `name{a="b", c="d"}` the way Prometheus prints a series. */
export function formatSeries(metric: Metric): string {
  const name = metric.__name__ ?? '';
  const pairs = Object.entries(metric)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (pairs.length === 0) return name === '' ? '{}' : name;
  return `${name}{${pairs.join(', ')}}`;
}

/** Parses a sample value string ("1.5", "NaN", "+Inf", "-Inf"). */
export function parseSampleValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}
