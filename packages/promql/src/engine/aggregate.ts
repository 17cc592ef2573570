// Aggregation operators (sum, avg, topk, count_values, ...) evaluated step by step, with
// Prometheus' numerics (Kahan sums, incremental means, NaN ordering in min/max/topk).
import { Labels } from '@promethium/tsdb-core';
import type { AggregateExpr } from '../parser/ast.js';
import { isValidUtf8 } from '../parser/lexer.js';
import { formatFloat, goQuote } from '../parser/printer.js';
import type { EvalValue, Evaluator } from './evaluator.js';
import { formatGoG } from './functions.js';
import { aggregateSeriesMajor, canAggregateSeriesMajor } from './aggregate-fast.js';
import { kahanSumInc } from './mathutil.js';
import { quantile } from './range-functions.js';
import { forEachStep, type StepRange } from './steps.js';
import { QueryError, type Series } from './value.js';

function groupLabels(metric: Labels, e: AggregateExpr): Labels {
  if (e.without) return metric.without(...e.grouping, '__name__', '__type__', '__unit__');
  if (e.grouping.length === 0) return Labels.EMPTY;
  return metric.keep(...e.grouping);
}

export function evalAggregate(ev: Evaluator, e: AggregateExpr, r: StepRange): EvalValue {
  const param = e.param ? ev.eval(e.param, r) : undefined;
  const input = ev.eval(e.expr, r);
  if (input.kind !== 'vector') throw new QueryError('aggregation over a non-vector');
  const series = input.series;
  const keepsName = !e.without && e.grouping.includes('__name__');

  // Group of each input series (fixed across steps).
  const groupIds: number[] = [];
  const groupMetric: Labels[] = [];
  const index = new Map<string, number>();
  for (const s of series) {
    const m = groupLabels(s.metric, e);
    const key = m.key();
    let id = index.get(key);
    if (id === undefined) {
      id = groupMetric.length;
      index.set(key, id);
      groupMetric.push(m);
    }
    groupIds.push(id);
  }
  const ng = groupMetric.length;
  const b = ev.newBuilder();

  if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk') return topBottom(ev, e, r, series, groupIds, ng, param);
  if (e.op === 'limit_ratio') throw new QueryError('limit_ratio() is not supported');
  if (e.op === 'count_values') {
    if (param?.kind !== 'string') throw new QueryError('count_values needs a label name');
    const label = param.val;
    if (label === '' || !isValidUtf8(label)) throw new QueryError(`invalid label name ${goQuote(label)}`);
    forEachStep(series, r, (_i, t, v) => {
      const counts = new Map<string, [Labels, number]>();
      for (let j = 0; j < v.n; j++) {
        const k = v.idx[j]!;
        const m = groupLabels(series[k]!.metric, e).with({ [label]: formatFloat(v.f[j]!) });
        const key = m.key();
        const c = counts.get(key);
        if (c) c[1]++;
        else counts.set(key, [m, 1]);
      }
      for (const [m, c] of counts.values()) b.add(m, t, c, false);
    });
    return { kind: 'vector', series: b.result() };
  }

  if (canAggregateSeriesMajor(e.op, ng, r)) {
    return { kind: 'vector', series: aggregateSeriesMajor(e.op, r, series, groupIds, groupMetric, keepsName, () => ev.checkAbort()) };
  }

  const q = param?.kind === 'scalar' ? param.vals : undefined;
  if (e.op === 'quantile' && q) {
    for (const x of q) {
      if (Number.isNaN(x) || x < 0 || x > 1) {
        ev.annotate('warning', `quantile value should be between 0 and 1, got ${formatGoG(x)}`, e.param!.pos.start);
        break;
      }
    }
  }

  const seen = new Uint8Array(ng);
  const value = new Float64Array(ng);
  const comp = new Float64Array(ng);
  const mean = new Float64Array(ng);
  const count = new Float64Array(ng);
  const incremental = new Uint8Array(ng);
  const dropName = new Uint8Array(ng);
  const values: number[][] = [];
  const order: number[] = [];
  const op = e.op;
  forEachStep(series, r, (i, t, v) => {
    if (v.n === 0) return;
    ev.checkAbort();
    order.length = 0;
    for (let j = 0; j < v.n; j++) {
      const k = v.idx[j]!;
      const g = groupIds[k]!;
      const f = v.f[j]!;
      if (!seen[g]) {
        seen[g] = 1;
        order.push(g);
        // Welford's first step: 0, or NaN for a NaN or infinite sample.
        value[g] = op === 'stddev' || op === 'stdvar' ? f * (f - f) : f;
        mean[g] = f;
        comp[g] = 0;
        count[g] = 1;
        incremental[g] = 0;
        dropName[g] = series[k]!.dropName ? 1 : 0;
        if (op === 'quantile') values[g] = [f];
        else if (op === 'sum' || op === 'avg') {
          value[g] = f;
        }
        continue;
      }
      if (series[k]!.dropName) dropName[g] = 1;
      count[g]!++;
      switch (op) {
        case 'sum': {
          const [s, c] = kahanSumInc(f, value[g]!, comp[g]!);
          value[g] = s;
          comp[g] = c;
          break;
        }
        case 'avg': {
          const n = count[g]!;
          if (!incremental[g]) {
            const [s, c] = kahanSumInc(f, value[g]!, comp[g]!);
            if (Number.isFinite(s) || Number.isNaN(s)) {
              value[g] = s;
              comp[g] = c;
              break;
            }
            incremental[g] = 1;
            mean[g] = value[g]! / (n - 1);
            comp[g] = comp[g]! / (n - 1);
          }
          const qq = (n - 1) / n;
          const [m, c] = kahanSumInc(f / n, qq * mean[g]!, qq * comp[g]!);
          mean[g] = m;
          comp[g] = c;
          break;
        }
        case 'max':
          if (value[g]! < f || Number.isNaN(value[g]!)) value[g] = f;
          break;
        case 'min':
          if (value[g]! > f || Number.isNaN(value[g]!)) value[g] = f;
          break;
        case 'stddev':
        case 'stdvar': {
          const delta = f - mean[g]!;
          mean[g] = mean[g]! + delta / count[g]!;
          value[g] = value[g]! + delta * (f - mean[g]);
          break;
        }
        case 'quantile':
          values[g]!.push(f);
          break;
        default:
          break;
      }
    }
    for (const g of order) {
      seen[g] = 0;
      let out: number;
      switch (op) {
        case 'sum':
          out = !Number.isFinite(value[g]!) && !Number.isNaN(value[g]!) ? value[g]! : value[g]! + comp[g]!;
          break;
        case 'avg':
          out = incremental[g] ? mean[g]! + comp[g]! : value[g]! / count[g]! + comp[g]! / count[g]!;
          break;
        case 'count':
          out = count[g]!;
          break;
        case 'group':
          out = 1;
          break;
        case 'stdvar':
          out = value[g]! / count[g]!;
          break;
        case 'stddev':
          out = Math.sqrt(value[g]! / count[g]!);
          break;
        case 'quantile':
          out = quantile(q![i]!, values[g]!);
          break;
        default:
          out = value[g]!;
      }
      b.add(groupMetric[g]!, t, out, keepsName && dropName[g] === 1);
    }
  });
  return { kind: 'vector', series: b.result() };
}

function topBottom(
  ev: Evaluator,
  e: AggregateExpr,
  r: StepRange,
  series: Series[],
  groupIds: number[],
  ng: number,
  param: EvalValue | undefined,
): EvalValue {
  if (param?.kind !== 'scalar') throw new QueryError(`${e.op} needs a scalar parameter`);
  const top = e.op === 'topk';
  // limitk keeps the first k samples of each group in input order: nothing ranks before another.
  const limit = e.op === 'limitk';
  // `a` ranks before `b` when it is kept in preference; NaN always ranks last.
  const better = (a: number, b: number): boolean => {
    if (limit) return false;
    if (Number.isNaN(a)) return false;
    if (Number.isNaN(b)) return true;
    return top ? a > b : a < b;
  };
  const out: Series[] = series.map((s) => ({ metric: s.metric, ts: [], fs: [], dropName: s.dropName }));
  const instantOrder: number[] = [];
  forEachStep(series, r, (i, t, v) => {
    const kf = param.vals[i]!;
    if (Number.isNaN(kf)) throw new QueryError('Parameter value is NaN');
    if (v.n === 0) return;
    const k = Math.min(Math.trunc(kf), v.n);
    if (!(k >= 1)) return;
    const groups: { idx: number; f: number }[][] = Array.from({ length: ng }, () => []);
    const groupOrder: number[] = [];
    for (let j = 0; j < v.n; j++) {
      const si = v.idx[j]!;
      const g = groupIds[si]!;
      const list = groups[g]!;
      if (list.length === 0) groupOrder.push(g);
      const f = v.f[j]!;
      if (list.length < k) {
        list.push({ idx: si, f });
        continue;
      }
      // Replace the current worst element when the new one is strictly better.
      let worst = 0;
      for (let w = 1; w < list.length; w++) if (better(list[worst]!.f, list[w]!.f)) worst = w;
      if (better(f, list[worst]!.f)) list[worst] = { idx: si, f };
    }
    for (const g of groupOrder) {
      const list = groups[g]!;
      list.sort((a, b) => (better(a.f, b.f) ? -1 : better(b.f, a.f) ? 1 : 0));
      for (const { idx, f } of list) {
        const s = out[idx]!;
        s.ts.push(t);
        s.fs.push(f);
        if (r.n === 1) instantOrder.push(idx);
      }
    }
  });
  ev.checkAbort();
  if (r.n === 1) return { kind: 'vector', series: instantOrder.map((k) => out[k]!) };
  return { kind: 'vector', series: out.filter((s) => s.ts.length > 0) };
}
