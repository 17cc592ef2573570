// Classic-histogram histogram_quantile(): buckets are the `le`-labelled series of a group.
// Native histograms will be handled beside this when the value types carry them.
import type { Labels } from '@promethium/tsdb-core';
import type { Call } from '../parser/ast.js';
import type { EvalValue, Evaluator } from './evaluator.js';
import { formatGoG } from './functions.js';
import { parseGoFloat } from './mathutil.js';
import { forEachStep, type StepRange } from './steps.js';
import { QueryError } from './value.js';

interface Bucket {
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

/** Prometheus' BucketQuantile; returns the value and whether monotonicity had to be forced. */
export function bucketQuantile(q: number, buckets: Bucket[]): [number, boolean] {
  if (Number.isNaN(q)) return [NaN, false];
  if (q < 0) return [-Infinity, false];
  if (q > 1) return [Infinity, false];
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  if (buckets[buckets.length - 1]!.upperBound !== Infinity) return [NaN, false];
  // Coalesce buckets with the same bound.
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

export function histogramQuantile(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const qv = ev.eval(call.args[0]!, r);
  const inv = ev.eval(call.args[1]!, r);
  if (qv.kind !== 'scalar' || inv.kind !== 'vector') throw new QueryError('histogram_quantile: bad argument types');
  const series = inv.series;
  // Per input series: its group (labels without `le`) and bucket bound, computed once.
  const groupKey: (string | undefined)[] = [];
  const bound: number[] = [];
  const groupLabels = new Map<string, Labels>();
  series.forEach((s) => {
    const le = s.metric.get('le');
    const ub = parseGoFloat(le);
    if (ub === undefined) {
      groupKey.push(undefined);
      bound.push(NaN);
      return;
    }
    const key = s.metric.without('le').key();
    if (!groupLabels.has(key)) groupLabels.set(key, s.metric.without('le', '__name__'));
    groupKey.push(key);
    bound.push(ub);
  });
  const b = ev.newBuilder();
  let warnedQ = false;
  forEachStep(series, r, (i, t, v) => {
    const q = qv.vals[i]!;
    if (!warnedQ && (Number.isNaN(q) || q < 0 || q > 1)) {
      ev.annotate('warning', `quantile value should be between 0 and 1, got ${formatGoG(q)}`, call.args[0]!.pos.start);
      warnedQ = true;
    }
    const groups = new Map<string, Bucket[]>();
    for (let j = 0; j < v.idx.length; j++) {
      const k = v.idx[j]!;
      const key = groupKey[k];
      if (key === undefined) {
        const m = series[k]!.metric;
        ev.annotate(
          'warning',
          `bucket label "le" is missing or has a malformed value of "${m.get('le')}" for metric name "${m.get('__name__')}"`,
          call.args[1]!.pos.start,
        );
        continue;
      }
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push({ upperBound: bound[k]!, count: v.f[j]! });
    }
    for (const [key, buckets] of groups) {
      const metric = groupLabels.get(key)!;
      const [res, forced] = bucketQuantile(q, buckets);
      if (forced) {
        ev.annotate(
          'info',
          `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "${metric.get('__name__')}"`,
          call.args[1]!.pos.start,
        );
      }
      b.add(metric, t, res, true);
    }
  });
  return { kind: 'vector', series: b.result() };
}
