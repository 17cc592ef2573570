// Functions over range vectors (`rate(x[5m])`, `avg_over_time(...)`): each computes one value
// from the samples ts[lo..hi) of a window, exactly as Prometheus' functions.go does.
import { kahanSumInc } from './mathutil.js';
import type { RawSeries } from './evaluator.js';

export interface WindowCtx {
  s: RawSeries;
  lo: number;
  hi: number;
  /** Step time and the window's right edge (step time adjusted by offset and @). */
  t: number;
  ref: number;
  range: number;
  /** Per-step scalar arguments other than the range vector, already resolved for this step. */
  scalars: number[];
}

export type RangeFn = (w: WindowCtx) => number | undefined;

// Prefix counts of counter decreases for the series being processed (rangeApply handles one
// series at a time), kept in one reused buffer.
let resetsOwner: RawSeries | undefined;
let resetsPrefix = new Int32Array(1024);

/** Counter resets among samples (lo, hi). */
function resetsIn(s: RawSeries, lo: number, hi: number): number {
  if (resetsOwner !== s) {
    const n = s.fs.length;
    if (resetsPrefix.length < n) resetsPrefix = new Int32Array(n * 2);
    const pre = resetsPrefix;
    pre[0] = 0;
    for (let k = 1; k < n; k++) pre[k] = pre[k - 1]! + (s.fs[k]! < s.fs[k - 1]! ? 1 : 0);
    resetsOwner = s;
  }
  return resetsPrefix[hi - 1]! - resetsPrefix[lo]!;
}

/** Prometheus' extrapolatedRate for rate(), increase() and delta(). */
function extrapolatedRate(w: WindowCtx, isCounter: boolean, isRate: boolean): number | undefined {
  const { s, lo, hi } = w;
  const n = hi - lo;
  if (n < 2) return undefined;
  const rangeStart = w.ref - w.range;
  const rangeEnd = w.ref;
  const firstT = s.ts[lo]!;
  const lastT = s.ts[hi - 1]!;
  const first = s.fs[lo]!;
  let result = s.fs[hi - 1]! - first;
  if (isCounter && resetsIn(s, lo, hi) > 0) {
    let prev = first;
    for (let k = lo + 1; k < hi; k++) {
      const cur = s.fs[k]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (firstT - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avgBetween = sampledInterval / (n - 1);
  const threshold = avgBetween * 1.1;
  let extrapolateTo = sampledInterval;
  if (durationToStart >= threshold) durationToStart = avgBetween / 2;
  if (isCounter && result > 0 && first >= 0) {
    // A counter cannot go below zero: do not extrapolate past the zero point.
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  extrapolateTo += durationToStart;
  if (durationToEnd >= threshold) durationToEnd = avgBetween / 2;
  extrapolateTo += durationToEnd;
  let factor = extrapolateTo / sampledInterval;
  if (isRate) factor /= w.range / 1000;
  return result * factor;
}

function instantValue(w: WindowCtx, isRate: boolean): number | undefined {
  const { s, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  const t1 = s.ts[hi - 1]!;
  const t0 = s.ts[hi - 2]!;
  const v1 = s.fs[hi - 1]!;
  const v0 = s.fs[hi - 2]!;
  const dt = t1 - t0;
  if (dt === 0) return undefined;
  let result = v1;
  if (!isRate || !(v1 < v0)) result = v1 - v0;
  if (isRate) result /= dt / 1000;
  return result;
}

export function linearRegression(s: RawSeries, lo: number, hi: number, interceptTime: number): [number, number] {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = s.fs[lo]!;
  let constY = true;
  for (let k = lo; k < hi; k++) {
    const f = s.fs[k]!;
    if (constY && k > lo && f !== initY) constY = false;
    n += 1;
    const x = (s.ts[k]! - interceptTime) / 1e3;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(f, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * f, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

/** A copy of the window's values (quantile() sorts in place). */
function windowValues(s: RawSeries, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let k = lo; k < hi; k++) out.push(s.fs[k]!);
  return out;
}

/** Prometheus' quantile(): weighted between neighbours; NaNs sort first. */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b));
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return values[lowerIndex]! * (1 - weight) + values[upperIndex]! * weight;
}

function avgOverTime({ s, lo, hi }: WindowCtx): number {
  let sum = s.fs[lo]!;
  let count = 1;
  let mean = 0;
  let c = 0;
  let incremental = false;
  for (let k = lo + 1; k < hi; k++) {
    const f = s.fs[k]!;
    count = k - lo + 1;
    if (!incremental) {
      const [ns, nc] = kahanSumInc(f, sum, c);
      if (Number.isFinite(ns) || Number.isNaN(ns)) {
        sum = ns;
        c = nc;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanSumInc(f / count, q * mean, q * c);
  }
  return incremental ? mean + c : sum / count + c / count;
}

function varianceOverTime({ s, lo, hi }: WindowCtx): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let k = lo; k < hi; k++) {
    const f = s.fs[k]!;
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

export const RANGE_FUNCTIONS: Record<string, RangeFn> = {
  rate: (w) => extrapolatedRate(w, true, true),
  increase: (w) => extrapolatedRate(w, true, false),
  delta: (w) => extrapolatedRate(w, false, false),
  irate: (w) => instantValue(w, true),
  idelta: (w) => instantValue(w, false),
  deriv: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w.s, w.lo, w.hi, w.s.ts[w.lo]!)[0]),
  predict_linear: (w) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w.s, w.lo, w.hi, w.t);
    return slope * w.scalars[0]! + intercept;
  },
  changes: ({ s, lo, hi }) => {
    let changes = 0;
    let prev = s.fs[lo]!;
    for (let k = lo + 1; k < hi; k++) {
      const cur = s.fs[k]!;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
      prev = cur;
    }
    return changes;
  },
  resets: ({ s, lo, hi }) => {
    let resets = 0;
    let prev = s.fs[lo]!;
    for (let k = lo + 1; k < hi; k++) {
      const cur = s.fs[k]!;
      if (cur < prev) resets++;
      prev = cur;
    }
    return resets;
  },
  avg_over_time: avgOverTime,
  sum_over_time: ({ s, lo, hi }) => {
    let sum = 0;
    let c = 0;
    for (let k = lo; k < hi; k++) [sum, c] = kahanSumInc(s.fs[k]!, sum, c);
    return !Number.isFinite(sum) && !Number.isNaN(sum) ? sum : sum + c;
  },
  count_over_time: ({ lo, hi }) => hi - lo,
  min_over_time: ({ s, lo, hi }) => {
    let m = s.fs[lo]!;
    for (let k = lo + 1; k < hi; k++) {
      const f = s.fs[k]!;
      if (f < m || Number.isNaN(m)) m = f;
    }
    return m;
  },
  max_over_time: ({ s, lo, hi }) => {
    let m = s.fs[lo]!;
    for (let k = lo + 1; k < hi; k++) {
      const f = s.fs[k]!;
      if (f > m || Number.isNaN(m)) m = f;
    }
    return m;
  },
  last_over_time: ({ s, hi }) => s.fs[hi - 1]!,
  first_over_time: ({ s, lo }) => s.fs[lo]!,
  present_over_time: () => 1,
  stddev_over_time: (w) => Math.sqrt(varianceOverTime(w)),
  stdvar_over_time: varianceOverTime,
  quantile_over_time: (w) => quantile(w.scalars[0]!, windowValues(w.s, w.lo, w.hi)),
  // Experimental functions (--enable-feature=promql-experimental-functions).
  mad_over_time: ({ s, lo, hi }) => {
    // A NaN sample makes the result NaN rather than being dropped.
    for (let k = lo; k < hi; k++) if (Number.isNaN(s.fs[k]!)) return NaN;
    const median = quantile(0.5, windowValues(s, lo, hi));
    const dev: number[] = [];
    for (let k = lo; k < hi; k++) dev.push(Math.abs(s.fs[k]! - median));
    return quantile(0.5, dev);
  },
  ts_of_first_over_time: ({ s, lo }) => s.ts[lo]! / 1000,
  ts_of_last_over_time: ({ s, hi }) => s.ts[hi - 1]! / 1000,
  ts_of_max_over_time: ({ s, lo, hi }) => {
    let m = s.fs[lo]!;
    let t = s.ts[lo]!;
    for (let k = lo + 1; k < hi; k++) {
      const f = s.fs[k]!;
      if (f >= m || Number.isNaN(m)) [m, t] = [f, s.ts[k]!];
    }
    return t / 1000;
  },
  ts_of_min_over_time: ({ s, lo, hi }) => {
    let m = s.fs[lo]!;
    let t = s.ts[lo]!;
    for (let k = lo + 1; k < hi; k++) {
      const f = s.fs[k]!;
      if (f <= m || Number.isNaN(m)) [m, t] = [f, s.ts[k]!];
    }
    return t / 1000;
  },
  double_exponential_smoothing: ({ s, lo, hi, scalars }) => {
    const sf = scalars[0]!;
    const tf = scalars[1]!;
    if (hi - lo < 2) return undefined;
    // Holt's linear smoothing, as Prometheus' funcDoubleExponentialSmoothing.
    let s0 = 0;
    let s1 = s.fs[lo]!;
    let b = s.fs[lo + 1]! - s.fs[lo]!;
    for (let i = 1; i < hi - lo; i++) {
      const x = sf * s.fs[lo + i]!;
      if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  },
};

/** Range functions that keep the metric name (they return a sample as it was). */
export const KEEPS_NAME = new Set(['last_over_time', 'first_over_time']);
