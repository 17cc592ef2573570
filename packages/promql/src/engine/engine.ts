// The public query engine: parses, evaluates over a Queryable, removes delayed metric names,
// converts to the query's result type and reports annotations and stats.
import { Labels, type Queryable } from '@promethium/tsdb-core';
import { exprType, type Expr } from '../parser/ast.js';
import { lineCol } from '../parser/errors.js';
import { parseExpr, typeName, type ParseOptions } from '../parser/parser.js';
import { Evaluator } from './evaluator.js';
import { stepRange } from './steps.js';
import { QueryError, type Annotation, type QueryResult, type QueryValue, type Sample, type Series } from './value.js';

export interface EngineOptions {
  /** Instant-vector lookback in ms (default 5m). */
  lookbackDelta?: number;
  /** Most samples one query may hold (default 50,000,000). */
  maxSamples?: number;
  /** Per-query timeout in ms (default 2m; 0 disables). */
  timeout?: number;
  /** Step of subqueries written without one (default 1m). */
  defaultSubqueryStep?: number;
  /** Parser options (experimental functions). */
  parser?: ParseOptions;
}

export interface QueryOptions {
  signal?: AbortSignal;
  lookbackDelta?: number;
  /** Timeout in ms for this query (overrides the engine's). */
  timeout?: number;
}

export class Engine {
  private readonly lookbackDelta: number;
  private readonly maxSamples: number;
  private readonly timeout: number;
  private readonly defaultSubqueryStep: number;
  private readonly parserOptions: ParseOptions;

  constructor(opts: EngineOptions = {}) {
    this.lookbackDelta = opts.lookbackDelta ?? 300_000;
    this.maxSamples = opts.maxSamples ?? 50_000_000;
    this.timeout = opts.timeout ?? 120_000;
    this.defaultSubqueryStep = opts.defaultSubqueryStep ?? 60_000;
    this.parserOptions = opts.parser ?? {};
  }

  /** Evaluates `query` at time `t` (ms). */
  instantQuery(storage: Queryable, query: string | Expr, t: number, opts: QueryOptions = {}): QueryResult {
    return this.run(storage, query, t, t, 1, false, opts);
  }

  /** Evaluates `query` at start, start+step, ..., end (ms). */
  rangeQuery(storage: Queryable, query: string | Expr, start: number, end: number, step: number, opts: QueryOptions = {}): QueryResult {
    if (step <= 0) throw new QueryError('zero or negative query resolution step widths are not accepted. Try a positive integer');
    if (end < start) throw new QueryError('end timestamp must not be before start time');
    return this.run(storage, query, start, end, step, true, opts);
  }

  private run(
    storage: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    isRange: boolean,
    opts: QueryOptions,
  ): QueryResult {
    const began = performance.now();
    const text = typeof query === 'string' ? query : undefined;
    const expr = typeof query === 'string' ? parseExpr(query, this.parserOptions) : query;
    const ty = exprType(expr);
    if (isRange && ty !== 'scalar' && ty !== 'vector') {
      throw new QueryError(`invalid expression type "${typeName(ty)}" for range query, must be Scalar or instant Vector`);
    }
    const ev = new Evaluator(storage, {
      lookbackDelta: opts.lookbackDelta ?? this.lookbackDelta,
      maxSamples: this.maxSamples,
      defaultSubqueryStep: this.defaultSubqueryStep,
      deadline: (opts.timeout ?? this.timeout) > 0 ? Date.now() + (opts.timeout ?? this.timeout) : 0,
      signal: opts.signal,
      queryStart: start,
      queryEnd: end,
      queryStep: isRange ? step : 0,
      isRangeQuery: isRange,
    });
    if (opts.signal?.aborted) throw new QueryError('query was canceled in expression evaluation', 'canceled');
    const r = stepRange(start, end, step);
    const v = ev.eval(expr, r);
    let value: QueryValue;
    switch (v.kind) {
      case 'string':
        value = { type: 'string', t: start, value: v.val };
        break;
      case 'scalar':
        if (isRange) {
          const s: Series = { metric: Labels.EMPTY, ts: [], fs: [], dropName: false };
          for (let i = 0; i < r.n; i++) {
            s.ts.push(start + i * step);
            s.fs.push(v.vals[i]!);
          }
          value = { type: 'matrix', value: [s] };
        } else value = { type: 'scalar', t: start, value: v.vals[0]! };
        break;
      case 'matrix':
        value = { type: 'matrix', value: dropNames(v.series) };
        break;
      case 'vector': {
        const series = dropNames(v.series);
        if (isRange) {
          value = { type: 'matrix', value: series.sort((a, b) => Labels.compare(a.metric, b.metric)) };
        } else {
          const vec: Sample[] = series.map((s) => ({ metric: s.metric, t: start, f: s.fs[0]!, dropName: false }));
          value = { type: 'vector', value: vec };
        }
        break;
      }
    }
    const render = (a: Annotation): string => {
      const pos = text !== undefined ? lineCol(text, a.pos) : { line: 1, column: a.pos + 1 };
      return `PromQL ${a.kind}: ${a.message} (${pos.line}:${pos.column})`;
    };
    return {
      value,
      annotations: ev.annotations,
      warnings: ev.annotations.filter((a) => a.kind === 'warning').map(render),
      infos: ev.annotations.filter((a) => a.kind === 'info').map(render),
      stats: { totalQueryableSamples: ev.totalSamples, peakSamples: ev.peakSamples, evalTimeMs: performance.now() - began },
    };
  }
}

/**
 * Delayed __name__ removal, done once the whole query is evaluated. Series that end up with one
 * label set are merged when their points do not overlap in time; overlapping points are an error.
 */
function dropNames(series: Series[]): Series[] {
  let dropped = false;
  const out = series.map((s) => {
    if (!s.dropName || !(s.metric.has('__name__') || s.metric.has('__type__') || s.metric.has('__unit__'))) {
      return s.dropName ? { ...s, dropName: false } : s;
    }
    dropped = true;
    // Type and unit metadata labels describe the metric name and go with it.
    return { ...s, metric: s.metric.without('__name__', '__type__', '__unit__'), dropName: false };
  });
  if (!dropped) return out;
  const byKey = new Map<string, Series>();
  const merged: Series[] = [];
  for (const s of out) {
    const k = s.metric.key();
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, s);
      merged.push(s);
      continue;
    }
    const pts = prev.ts.map((t, i) => [t, prev.fs[i]!] as [number, number]);
    for (let i = 0; i < s.ts.length; i++) pts.push([s.ts[i]!, s.fs[i]!]);
    pts.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pts.length; i++) {
      if (pts[i]![0] === pts[i - 1]![0]) throw new QueryError('vector cannot contain metrics with the same labelset');
    }
    prev.ts = pts.map((p) => p[0]);
    prev.fs = pts.map((p) => p[1]);
  }
  return merged;
}
