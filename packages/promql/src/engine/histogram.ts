// Classic-histogram functions: histogram_quantile() and histogram_fraction() over the
// `le`-labelled bucket series of each group. Native histograms will be handled beside these.
import type { Labels } from '@promethium/tsdb-core';
import type { Call } from '../parser/ast.js';
import type { EvalValue, Evaluator } from './evaluator.js';
import { formatGoG } from './functions.js';
import { parseGoFloat } from './mathutil.js';
import { forEachStep, type StepRange } from './steps.js';
import { QueryError } from './value.js';

export interface Bucket {
  upperBound: number;
  count: number;
}

function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < 2.2250738585072014e-308) return diff < epsilon * 2.2250738585072014e-308;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Sorts, merges equal bounds and forces monotonic counts. Returns [buckets, forcedMonotonic] or undefined without +Inf. */
function prepare(buckets: Bucket[]): [Bucket[], boolean] | undefined {
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  if (buckets[buckets.length - 1]!.upperBound !== Infinity) return undefined;
  const merged: Bucket[] = [];
  for (const b of buckets) {
    const last = merged[merged.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else merged.push({ ...b });
  }
  let forced = false;
  let prev = merged[0]!.count;
  for (let i = 1; i < merged.length; i++) {
    const curr = merged[i]!.count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, 1e-12)) {
      // Numerically insignificant differences are silently evened out.
      merged[i]!.count = prev;
      continue;
    }
    if (curr < prev) {
      merged[i]!.count = prev;
      forced = true;
      continue;
    }
    prev = curr;
  }
  return [merged, forced];
}

/** Prometheus' BucketQuantile; returns the value and whether monotonicity had to be forced. */
export function bucketQuantile(q: number, buckets: Bucket[]): [number, boolean] {
  if (Number.isNaN(q)) return [NaN, false];
  if (q < 0) return [-Infinity, false];
  if (q > 1) return [Infinity, false];
  const prepared = prepare(buckets);
  if (!prepared) return [NaN, false];
  const [merged, forced] = prepared;
  if (merged.length < 2) return [NaN, forced];
  const observations = merged[merged.length - 1]!.count;
  if (observations === 0) return [NaN, forced];
  let rank = q * observations;
  let b = 0;
  while (b < merged.length - 1 && !(merged[b]!.count >= rank)) b++;
  if (b === merged.length - 1) return [merged[merged.length - 2]!.upperBound, forced];
  if (b === 0 && merged[0]!.upperBound <= 0) return [merged[0]!.upperBound, forced];
  let bucketStart = 0;
  const bucketEnd = merged[b]!.upperBound;
  let count = merged[b]!.count;
  if (b > 0) {
    bucketStart = merged[b - 1]!.upperBound;
    count -= merged[b - 1]!.count;
    rank -= merged[b - 1]!.count;
  }
  return [bucketStart + (bucketEnd - bucketStart) * (rank / count), forced];
}

/**
 * The fraction of observations between lower and upper. Buckets inside the range count fully,
 * finite buckets partly inside are interpolated linearly, and infinitely wide buckets partly
 * inside contribute nothing. The first bucket starts at 0 when its bound is positive.
 */
export function bucketFraction(lower: number, upper: number, buckets: Bucket[]): number {
  const prepared = prepare(buckets);
  if (!prepared) return NaN;
  const [merged] = prepared;
  const total = merged[merged.length - 1]!.count;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let sum = 0;
  let prevCount = 0;
  merged.forEach((b, i) => {
    const lo = i === 0 ? (b.upperBound > 0 ? 0 : -Infinity) : merged[i - 1]!.upperBound;
    const hi = b.upperBound;
    const n = b.count - prevCount;
    prevCount = b.count;
    if (lower <= lo && hi <= upper) {
      sum += n;
      return;
    }
    // An infinitely wide bucket counts fully when the range reaches its infinite end.
    if ((hi === Infinity && upper === Infinity) || (lo === -Infinity && lower === -Infinity)) {
      sum += n;
      return;
    }
    const oLo = Math.max(lo, lower);
    const oHi = Math.min(hi, upper);
    if (oLo >= oHi || !Number.isFinite(lo) || !Number.isFinite(hi)) return;
    sum += (n * (oHi - oLo)) / (hi - lo);
  });
  return sum / total;
}

export function histogramQuantile(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const qv = ev.eval(call.args[0]!, r);
  if (qv.kind !== 'scalar') throw new QueryError('histogram_quantile: bad argument types');
  for (const q of qv.vals) {
    if (Number.isNaN(q) || q < 0 || q > 1) {
      ev.annotate('warning', `quantile value should be between 0 and 1, got ${formatGoG(q)}`, call.args[0]!.pos.start);
      break;
    }
  }
  return classicHistogramFn(ev, call, call.args[1]!, r, (i, buckets) => bucketQuantile(qv.vals[i]!, buckets));
}

export function histogramFraction(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const lo = ev.eval(call.args[0]!, r);
  const hi = ev.eval(call.args[1]!, r);
  if (lo.kind !== 'scalar' || hi.kind !== 'scalar') throw new QueryError('histogram_fraction: bad argument types');
  return classicHistogramFn(ev, call, call.args[2]!, r, (i, buckets) => [bucketFraction(lo.vals[i]!, hi.vals[i]!, buckets), false]);
}

/** Groups each step's bucket samples by their labels without `le` and applies `fn` per group. */
function classicHistogramFn(
  ev: Evaluator,
  call: Call,
  arg: Call['args'][number],
  r: StepRange,
  fn: (stepIdx: number, buckets: Bucket[]) => [number, boolean],
): EvalValue {
  const inv = ev.eval(arg, r);
  if (inv.kind !== 'vector') throw new QueryError(`${call.func.name}: bad argument types`);
  const series = inv.series;
  // Per input series: its group (labels without `le`) and bucket bound, computed once.
  const groupKey: (string | undefined)[] = [];
  const bound: number[] = [];
  const groupLabels = new Map<string, Labels>();
  for (const s of series) {
    const ub = parseGoFloat(s.metric.get('le'));
    if (ub === undefined) {
      groupKey.push(undefined);
      bound.push(NaN);
      continue;
    }
    const key = s.metric.without('le').key();
    if (!groupLabels.has(key)) groupLabels.set(key, s.metric.without('le', '__name__'));
    groupKey.push(key);
    bound.push(ub);
  }
  const b = ev.newBuilder();
  forEachStep(series, r, (i, t, v) => {
    const groups = new Map<string, Bucket[]>();
    for (let j = 0; j < v.n; j++) {
      const k = v.idx[j]!;
      const key = groupKey[k];
      if (key === undefined) {
        const m = series[k]!.metric;
        ev.annotate(
          'warning',
          `bucket label "le" is missing or has a malformed value of "${m.get('le')}" for metric name "${m.get('__name__')}"`,
          arg.pos.start,
        );
        continue;
      }
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push({ upperBound: bound[k]!, count: v.f[j]! });
    }
    for (const [key, buckets] of groups) {
      const metric = groupLabels.get(key)!;
      const [res, forced] = fn(i, buckets);
      if (forced) {
        ev.annotate(
          'info',
          `input to ${call.func.name} needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "${metric.get('__name__')}"`,
          arg.pos.start,
        );
      }
      b.add(metric, t, res, true);
    }
  });
  return { kind: 'vector', series: b.result() };
}
