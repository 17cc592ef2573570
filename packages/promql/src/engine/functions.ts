// Function calls: range-vector functions over windows, element-wise functions over series,
// and the few that need a whole step's vector (scalar, absent, sort, histogram_quantile).
import { Labels } from '@promethium/tsdb-core';
import type { Call, Expr } from '../parser/ast.js';
import type { EvalValue, Evaluator, RawSeries, WindowSource } from './evaluator.js';
import { histogramFraction, histogramQuantile } from './histogram.js';
import { KEEPS_NAME, RANGE_FUNCTIONS, type WindowCtx } from './range-functions.js';
import { scalarArg, vectorArg } from './args.js';
import { labelJoin, labelReplace } from './label-functions.js';
import { sortByLabel } from './sort-functions.js';
import { stepTime, type StepRange } from './steps.js';
import { QueryError, type Series } from './value.js';

function unwrap(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}

const MATH: Record<string, (x: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (x) => (x * 180) / Math.PI,
  rad: (x) => (x * Math.PI) / 180,
  sgn: (x) => (x < 0 ? -1 : x > 0 ? 1 : x),
};

const DATE: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

function mapSeries(series: Series[], f: (x: number, t: number) => number): Series[] {
  return series.map((s) => ({ metric: s.metric, ts: s.ts, fs: s.fs.map((x, k) => f(x, s.ts[k]!)), dropName: true }));
}

function stepIndex(r: StepRange, t: number): number {
  return Math.round((t - r.start) / r.interval);
}

export function evalCall(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const name = call.func.name;
  const matrixIdx = call.args.findIndex((a) => {
    const u = unwrap(a);
    return u.type === 'MatrixSelector' || u.type === 'SubqueryExpr';
  });
  if (matrixIdx >= 0) return evalRangeCall(ev, call, matrixIdx, r);

  switch (name) {
    case 'time':
      return { kind: 'scalar', vals: Float64Array.from({ length: r.n }, (_, i) => stepTime(r, i) / 1000) };
    case 'pi':
      return { kind: 'scalar', vals: new Float64Array(r.n).fill(Math.PI) };
    case 'start':
    case 'end':
    case 'range':
    case 'step': {
      const o = ev.opts;
      const v =
        name === 'start' ? o.queryStart / 1000 : name === 'end' ? o.queryEnd / 1000 : name === 'range' ? (o.queryEnd - o.queryStart) / 1000 : o.queryStep / 1000;
      return { kind: 'scalar', vals: new Float64Array(r.n).fill(v) };
    }
    case 'max_of':
    case 'min_of': {
      const a = scalarArg(ev.eval(call.args[0]!, r));
      const b = scalarArg(ev.eval(call.args[1]!, r));
      const f = name === 'max_of' ? Math.max : Math.min;
      return { kind: 'scalar', vals: a.map((x, i) => f(x, b[i]!)) };
    }
    case 'sort_by_label':
    case 'sort_by_label_desc':
      return sortByLabel(ev, call, r);
    case 'timestamp': {
      const a = unwrap(call.args[0]!);
      if (a.type === 'VectorSelector') {
        return { kind: 'vector', series: ev.evalVectorSelector(a, r, true).map((s) => ({ ...s, dropName: true })) };
      }
      return { kind: 'vector', series: mapSeries(vectorArg(ev.eval(a, r)), (_x, t) => t / 1000) };
    }
    case 'vector': {
      const vals = scalarArg(ev.eval(call.args[0]!, r));
      const s: Series = { metric: Labels.EMPTY, ts: [], fs: [], dropName: false };
      for (let i = 0; i < r.n; i++) {
        s.ts.push(stepTime(r, i));
        s.fs.push(vals[i]!);
      }
      return { kind: 'vector', series: [s] };
    }
    case 'scalar': {
      const series = vectorArg(ev.eval(call.args[0]!, r));
      const vals = new Float64Array(r.n).fill(NaN);
      const counts = new Int32Array(r.n);
      for (const s of series) {
        s.ts.forEach((t, k) => {
          const i = stepIndex(r, t);
          counts[i]!++;
          vals[i] = s.fs[k]!;
        });
      }
      for (let i = 0; i < r.n; i++) if (counts[i] !== 1) vals[i] = NaN;
      return { kind: 'scalar', vals };
    }
    case 'absent':
      return absent(ev, call, r);
    case 'sort':
    case 'sort_desc': {
      const series = vectorArg(ev.eval(call.args[0]!, r));
      if (ev.opts.isRangeQuery) {
        ev.annotate('warning', 'sort is ineffective for range queries since results are always ordered by labels', call.pos.start);
        return { kind: 'vector', series };
      }
      const desc = name === 'sort_desc';
      const sorted = [...series].sort((a, b) => {
        const x = a.fs[0]!;
        const y = b.fs[0]!;
        if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
        if (Number.isNaN(y)) return -1;
        return desc ? y - x : x - y;
      });
      return { kind: 'vector', series: sorted };
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const series = vectorArg(ev.eval(call.args[0]!, r));
      const a = scalarArg(ev.eval(call.args[1]!, r));
      const b = name === 'clamp' ? scalarArg(ev.eval(call.args[2]!, r)) : undefined;
      const out: Series[] = [];
      for (const s of series) {
        const res: Series = { metric: s.metric, ts: [], fs: [], dropName: true };
        s.ts.forEach((t, k) => {
          const i = stepIndex(r, t);
          const x = s.fs[k]!;
          let v: number;
          if (name === 'clamp') {
            const min = a[i]!;
            const max = b![i]!;
            if (max < min) return;
            v = Math.max(min, Math.min(max, x));
          } else v = name === 'clamp_min' ? Math.max(x, a[i]!) : Math.min(x, a[i]!);
          res.ts.push(t);
          res.fs.push(v);
        });
        if (res.ts.length) out.push(res);
      }
      return { kind: 'vector', series: out };
    }
    case 'round': {
      const series = vectorArg(ev.eval(call.args[0]!, r));
      const nearest = call.args[1] ? scalarArg(ev.eval(call.args[1], r)) : undefined;
      return {
        kind: 'vector',
        series: mapSeries(series, (x, t) => {
          const inv = 1 / (nearest ? nearest[stepIndex(r, t)]! : 1);
          return Math.floor(x * inv + 0.5) / inv;
        }),
      };
    }
    case 'label_replace':
      return labelReplace(ev, call, r);
    case 'label_join':
      return labelJoin(ev, call, r);
    case 'histogram_quantile':
      return histogramQuantile(ev, call, r);
    case 'histogram_fraction':
      return histogramFraction(ev, call, r);
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_avg':
    case 'histogram_stddev':
    case 'histogram_stdvar':
      // These read native histograms only; float samples are ignored.
      for (const a of call.args) ev.eval(a, r);
      return { kind: 'vector', series: [] };
  }
  if (name in MATH) {
    const f = MATH[name]!;
    return { kind: 'vector', series: mapSeries(vectorArg(ev.eval(call.args[0]!, r)), f) };
  }
  if (name in DATE) {
    const f = DATE[name]!;
    const conv = (x: number): number => f(new Date(Math.trunc(x) * 1000));
    if (call.args.length === 0) {
      const s: Series = { metric: Labels.EMPTY, ts: [], fs: [], dropName: false };
      for (let i = 0; i < r.n; i++) {
        const t = stepTime(r, i);
        s.ts.push(t);
        s.fs.push(conv(t / 1000));
      }
      return { kind: 'vector', series: [s] };
    }
    return { kind: 'vector', series: mapSeries(vectorArg(ev.eval(call.args[0]!, r)), (x) => (Number.isFinite(x) ? conv(x) : NaN)) };
  }
  throw new QueryError(`function "${name}" is not supported`);
}

/** Experimental functions this engine implements (the others are rejected at evaluation). */
export const IMPLEMENTED_EXPERIMENTAL = new Set([
  'mad_over_time',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
  'double_exponential_smoothing',
  'sort_by_label',
  'sort_by_label_desc',
  'start',
  'end',
  'range',
  'step',
  'max_of',
  'min_of',
]);

function evalRangeCall(ev: Evaluator, call: Call, matrixIdx: number, r: StepRange): EvalValue {
  const name = call.func.name;
  const arg = unwrap(call.args[matrixIdx]!);
  const scalarArgs = call.args.map((a, k) => (k === matrixIdx ? undefined : scalarArg(ev.eval(a, r))));
  const src: WindowSource =
    arg.type === 'MatrixSelector' ? ev.matrixSource(arg, r, name) : ev.subquerySource(arg as Extract<Expr, { type: 'SubqueryExpr' }>, r);
  if (name === 'absent_over_time') return absentOverTime(ev, call, src, r);
  const fn = RANGE_FUNCTIONS[name];
  if (!fn) throw new QueryError(`function "${name}" is not supported`);
  if (name === 'double_exponential_smoothing') {
    for (const [k, what] of [
      [1, 'smoothing'],
      [2, 'trend'],
    ] as const) {
      for (const v of scalarArgs[k]!) {
        if (!(v > 0 && v < 1)) {
          throw new QueryError(`invalid ${what} factor. Expected: 0 < ${what === 'smoothing' ? 'sf' : 'tf'} < 1, got: ${v.toFixed(6)}`);
        }
      }
    }
  }
  if (name === 'quantile_over_time') {
    const q = scalarArgs[0]!;
    for (const v of q) {
      if (Number.isNaN(v) || v < 0 || v > 1) {
        ev.annotate('warning', `quantile value should be between 0 and 1, got ${formatGoG(v)}`, call.args[0]!.pos.start);
        break;
      }
    }
  }
  const others = scalarArgs.filter((a): a is Float64Array => a !== undefined);
  // One context object, refilled per window: this loop runs series x steps times.
  const w: WindowCtx = { s: undefined as unknown as RawSeries, lo: 0, hi: 0, t: 0, ref: 0, range: src.range, scalars: others.map(() => 0) };
  const series = ev.rangeApply(src, r, !KEEPS_NAME.has(name), (s, lo, hi, i, t, ref) => {
    w.s = s;
    w.lo = lo;
    w.hi = hi;
    w.t = t;
    w.ref = ref;
    for (let k = 0; k < others.length; k++) w.scalars[k] = others[k]![i]!;
    return fn(w);
  });
  if (name === 'rate' || name === 'increase') {
    for (const s of series) {
      const metricName = s.metric.get('__name__');
      if (metricName !== '' && !COUNTER_SUFFIXES.some((x) => metricName.endsWith(x))) {
        ev.annotate(
          'info',
          `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "${metricName}"`,
          call.args[matrixIdx]!.pos.start,
        );
      }
    }
  }
  return { kind: 'vector', series };
}

/** Go's %g-ish rendering used in annotation texts (NaN, +Inf, 1.5). */
export function formatGoG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Labels absent() reports: the selector's equality matchers (a label matched twice is dropped). */
function absentLabels(e: Expr): Labels {
  const u = e.type === 'MatrixSelector' ? e.vs : e;
  if (u.type !== 'VectorSelector') return Labels.EMPTY;
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const m of u.matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !seen.has(m.name)) {
      out.set(m.name, m.value);
      seen.add(m.name);
    } else {
      out.delete(m.name);
    }
  }
  return Labels.from(out);
}

function absent(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const series = vectorArg(ev.eval(call.args[0]!, r));
  const present = new Uint8Array(r.n);
  for (const s of series) for (const t of s.ts) present[stepIndex(r, t)] = 1;
  const res: Series = { metric: absentLabels(call.args[0]!), ts: [], fs: [], dropName: false };
  for (let i = 0; i < r.n; i++) {
    if (!present[i]) {
      res.ts.push(stepTime(r, i));
      res.fs.push(1);
    }
  }
  return { kind: 'vector', series: res.ts.length ? [res] : [] };
}

function absentOverTime(ev: Evaluator, call: Call, src: WindowSource, r: StepRange): EvalValue {
  const present = ev.rangeApply(src, r, true, () => 1);
  const has = new Uint8Array(r.n);
  for (const s of present) for (const t of s.ts) has[stepIndex(r, t)] = 1;
  const res: Series = { metric: absentLabels(unwrap(call.args[0]!)), ts: [], fs: [], dropName: false };
  for (let i = 0; i < r.n; i++) {
    if (!has[i]) {
      res.ts.push(stepTime(r, i));
      res.fs.push(1);
    }
  }
  return { kind: 'vector', series: res.ts.length ? [res] : [] };
}

