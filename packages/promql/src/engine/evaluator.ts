// The evaluator: walks the AST over a grid of steps, as Prometheus' engine does. Vector-valued
// nodes yield series whose points sit on step timestamps; scalars yield one value per step.
import { isStaleNaN, type Labels, type Queryable, type Series as StorageSeries } from '@promethium/tsdb-core';
import type { Expr, MatrixSelector, SubqueryExpr, VectorSelector } from '../parser/ast.js';
import { evalAggregate } from './aggregate.js';
import { evalBinary } from './binop.js';
import { evalCall } from './functions.js';
import { SeriesBuilder } from './output.js';
import { stepRange, stepTime, type StepRange } from './steps.js';
import { QueryError, type Annotation, type Series } from './value.js';

export type EvalValue =
  | { kind: 'scalar'; vals: Float64Array }
  | { kind: 'string'; val: string }
  | { kind: 'vector'; series: Series[] }
  | { kind: 'matrix'; series: Series[] };

export interface EvaluatorOptions {
  lookbackDelta: number;
  maxSamples: number;
  defaultSubqueryStep: number;
  /** Absolute Date.now() deadline; 0 for none. */
  deadline: number;
  signal: AbortSignal | undefined;
  /** Query start/end, what `@ start()` / `@ end()` resolve to. */
  queryStart: number;
  queryEnd: number;
  /** Query resolution step in ms; 0 for instant queries. */
  queryStep: number;
  isRangeQuery: boolean;
}

/** Raw samples of one series inside a window source, stale markers removed. */
/** Timestamps or values: plain arrays (subquery results) or typed views (streamed selections). */
export type Floats = number[] | Float64Array;

export interface RawSeries {
  metric: Labels;
  ts: Floats;
  fs: Floats;
  dropName: boolean;
}

/** Where a range function reads its windows from. */
export interface WindowSource {
  /** Iterated once per use; a streamed source reuses its arrays from one series to the next. */
  series: Iterable<RawSeries>;
  range: number;
  offset: number;
  at: number | undefined;
}

export class Evaluator {
  readonly annotations: Annotation[] = [];
  totalSamples = 0;
  peakSamples = 0;
  private checks = 0;

  constructor(
    readonly storage: Queryable,
    readonly opts: EvaluatorOptions,
  ) {}

  annotate(kind: 'warning' | 'info', message: string, pos: number): void {
    if (!this.annotations.some((a) => a.kind === kind && a.message === message && a.pos === pos)) {
      this.annotations.push({ kind, message, pos });
    }
  }

  /** Cancellation and timeout are checked between units of work. */
  checkAbort(): void {
    if ((++this.checks & 63) !== 0) return;
    if (this.opts.signal?.aborted) throw new QueryError('query was canceled in expression evaluation', 'canceled');
    if (this.opts.deadline && Date.now() > this.opts.deadline) throw new QueryError('query timed out in expression evaluation', 'timeout');
  }

  /** Checks a node's sample count against the limit and records the peak. */
  countSamples(n: number): void {
    if (n > this.peakSamples) this.peakSamples = n;
    if (n > this.opts.maxSamples) {
      throw new QueryError('query processing would load too many samples into memory in query execution', 'too_many_samples');
    }
  }

  atTime(node: { timestamp?: number; startOrEnd?: 'start' | 'end' }): number | undefined {
    if (node.startOrEnd === 'start') return this.opts.queryStart;
    if (node.startOrEnd === 'end') return this.opts.queryEnd;
    return node.timestamp;
  }

  eval(e: Expr, r: StepRange): EvalValue {
    this.checkAbort();
    switch (e.type) {
      case 'NumberLiteral':
        return { kind: 'scalar', vals: new Float64Array(r.n).fill(e.val) };
      case 'StringLiteral':
        return { kind: 'string', val: e.val };
      case 'ParenExpr':
        return this.eval(e.expr, r);
      case 'UnaryExpr': {
        const v = this.eval(e.expr, r);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', vals: v.vals.map((x) => -x) };
        if (v.kind !== 'vector') throw new QueryError('unary minus on non-numeric value');
        return { kind: 'vector', series: v.series.map((s) => ({ ...s, fs: s.fs.map((x) => -x), dropName: true })) };
      }
      case 'VectorSelector':
        return { kind: 'vector', series: this.evalVectorSelector(e, r, false) };
      case 'MatrixSelector':
        return { kind: 'matrix', series: this.matrixAt(this.matrixSource(e, r), stepTime(r, 0)) };
      case 'SubqueryExpr':
        return { kind: 'matrix', series: this.matrixAt(this.subquerySource(e, r), stepTime(r, 0)) };
      case 'Call':
        return evalCall(this, e, r);
      case 'AggregateExpr':
        return evalAggregate(this, e, r);
      case 'BinaryExpr':
        return evalBinary(this, e, r);
    }
  }

  private select(vs: VectorSelector, mint: number, maxt: number, range?: number, func?: string): Iterable<StorageSeries> {
    const q = this.storage.querier(mint, maxt);
    try {
      return [...q.select(vs.matchers, { start: mint, end: maxt, range, func })];
    } finally {
      q.close();
    }
  }

  /** Instant-vector selection with lookback; `sampleTime` makes values the samples' own timestamps (timestamp()). */
  evalVectorSelector(vs: VectorSelector, r: StepRange, sampleTime: boolean): Series[] {
    const at = this.atTime(vs);
    const lookback = this.opts.lookbackDelta;
    const firstRef = (at ?? r.start) - vs.offset;
    const lastRef = (at ?? r.end) - vs.offset;
    const out: Series[] = [];
    let points = 0;
    for (const s of this.select(vs, firstRef - lookback + 1, lastRef)) {
      this.checkAbort();
      const ts: number[] = [];
      const fs: number[] = [];
      const stale: boolean[] = [];
      const it = s.iterator();
      if (it.seek(firstRef - lookback + 1)) {
        do {
          const t = it.at();
          if (t > lastRef) break;
          const v = it.value();
          ts.push(t);
          fs.push(v);
          stale.push(Number.isNaN(v) && isStaleNaN(v));
        } while (it.next());
      }
      const series: Series = { metric: s.labels, ts: [], fs: [], dropName: false };
      let j = -1;
      const lookup = (ref: number): number => {
        while (j + 1 < ts.length && ts[j + 1]! <= ref) j++;
        if (j < 0 || ts[j]! <= ref - lookback || stale[j]) return -1;
        return j;
      };
      if (at !== undefined) {
        const k = lookup(firstRef);
        if (k >= 0) {
          for (let i = 0; i < r.n; i++) {
            series.ts.push(stepTime(r, i));
            series.fs.push(sampleTime ? ts[k]! / 1000 : fs[k]!);
          }
        }
      } else {
        for (let i = 0; i < r.n; i++) {
          const t = stepTime(r, i);
          const k = lookup(t - vs.offset);
          if (k < 0) continue;
          series.ts.push(t);
          series.fs.push(sampleTime ? ts[k]! / 1000 : fs[k]!);
        }
      }
      if (series.ts.length > 0) {
        points += series.ts.length;
        out.push(series);
      }
    }
    this.totalSamples += points;
    this.countSamples(points);
    return out;
  }

  /**
   * The raw samples a matrix selector needs over the whole step range, streamed series by series
   * into reused buffers (so a 10k-series rate() does not hold every window's samples at once).
   */
  matrixSource(ms: MatrixSelector, r: StepRange, func?: string): WindowSource {
    const vs = ms.vs;
    const at = this.atTime(vs);
    const firstRef = (at ?? r.start) - vs.offset;
    const lastRef = (at ?? r.end) - vs.offset;
    const mint = firstRef - ms.range + 1;
    const selected = this.select(vs, mint, lastRef, ms.range, func);
    const checkAbort = (): void => this.checkAbort();
    const counted = (n: number): void => {
      this.totalSamples += n;
    };
    function* stream(): Generator<RawSeries> {
      let ts = new Float64Array(256);
      let fs = new Float64Array(256);
      for (const s of selected) {
        checkAbort();
        let n = 0;
        const it = s.iterator();
        if (it.seek(mint)) {
          do {
            const t = it.at();
            if (t > lastRef) break;
            const v = it.value();
            if (Number.isNaN(v) && isStaleNaN(v)) continue;
            if (n === ts.length) {
              const grownTs = new Float64Array(n * 2);
              grownTs.set(ts);
              ts = grownTs;
              const grownFs = new Float64Array(n * 2);
              grownFs.set(fs);
              fs = grownFs;
            }
            ts[n] = t;
            fs[n] = v;
            n++;
          } while (it.next());
        }
        counted(n);
        yield { metric: s.labels, ts: ts.subarray(0, n), fs: fs.subarray(0, n), dropName: false };
      }
    }
    return { series: { [Symbol.iterator]: stream }, range: ms.range, offset: vs.offset, at };
  }

  /** Evaluates a subquery's inner expression on its own aligned grid. */
  subquerySource(sq: SubqueryExpr, r: StepRange): WindowSource {
    const at = this.atTime(sq);
    const outerStart = at ?? r.start;
    const outerEnd = at ?? r.end;
    const step = sq.step || this.opts.defaultSubqueryStep;
    const lower = outerStart - sq.offset - sq.range;
    // Go's integer division truncates toward zero; the first aligned step after `lower`.
    let start = step * Math.trunc(lower / step);
    if (start <= lower) start += step;
    const end = outerEnd - sq.offset;
    let series: Series[] = [];
    if (start <= end) {
      const inner = this.eval(sq.expr, stepRange(start, end, step));
      if (inner.kind !== 'vector') throw new QueryError('subquery is only allowed on instant vector');
      series = inner.series;
    }
    return { series, range: sq.range, offset: sq.offset, at };
  }

  /** The raw window contents at one evaluation time: an instant query's range-vector result. */
  matrixAt(src: WindowSource, t: number): Series[] {
    const ref = (src.at ?? t) - src.offset;
    const out: Series[] = [];
    let points = 0;
    for (const s of src.series) {
      const ts: number[] = [];
      const fs: number[] = [];
      for (let k = 0; k < s.ts.length; k++) {
        const st = s.ts[k]!;
        if (st > ref - src.range && st <= ref) {
          ts.push(st);
          fs.push(s.fs[k]!);
        }
      }
      if (ts.length > 0) {
        points += ts.length;
        out.push({ metric: s.metric, ts, fs, dropName: s.dropName });
      }
    }
    this.countSamples(points);
    return out;
  }

  /**
   * Applies `fn` to every series' window at every step (left-open windows (ref - range, ref]).
   * `fn` returns undefined for "no output at this step".
   */
  rangeApply(
    src: WindowSource,
    r: StepRange,
    dropName: boolean,
    fn: (s: RawSeries, lo: number, hi: number, stepIdx: number, t: number, ref: number) => number | undefined,
  ): Series[] {
    const out: Series[] = [];
    let points = 0;
    for (const s of src.series) {
      this.checkAbort();
      const res: Series = { metric: s.metric, ts: [], fs: [], dropName: s.dropName || dropName };
      let lo = 0;
      let hi = 0;
      const n = s.ts.length;
      let maxWindow = 0;
      for (let i = 0; i < r.n; i++) {
        const t = stepTime(r, i);
        const ref = (src.at ?? t) - src.offset;
        while (hi < n && s.ts[hi]! <= ref) hi++;
        while (lo < hi && s.ts[lo]! <= ref - src.range) lo++;
        if (hi - lo > maxWindow) maxWindow = hi - lo;
        if (hi === lo) continue;
        const v = fn(s, lo, hi, i, t, ref);
        if (v === undefined) continue;
        res.ts.push(t);
        res.fs.push(v);
      }
      if (maxWindow > this.opts.maxSamples) this.countSamples(maxWindow);
      if (res.ts.length > 0) {
        points += res.ts.length;
        out.push(res);
      }
    }
    this.countSamples(points);
    return out;
  }

  /** Runs `fn` on each step's vector of the given series and collects the samples it emits. */
  newBuilder(): SeriesBuilder {
    return new SeriesBuilder();
  }
}
