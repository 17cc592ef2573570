// Runs Prometheus test scripts against MemoryStorage and the Engine, including the implicit
// range-mode and `@`-modifier re-checks of Prometheus' runner.
import { readFileSync } from 'node:fs';
import { isStaleNaN, Labels, STALE_NAN, type Matcher } from '@promethium/tsdb-core';
import { Engine } from '../engine/engine.js';
import { QueryError, type QueryResult, type Series } from '../engine/value.js';
import type { Expr } from '../parser/ast.js';
import { walk } from '../parser/ast.js';
import { ParseError } from '../parser/errors.js';
import { parseExpr, parseSeriesDescription } from '../parser/parser.js';
import { formatExpr } from '../parser/printer.js';
import { MemoryStorage, NativeHistogramsUnsupportedError } from '../storage/memory.js';
import { parseScript, type EvalCmd, type ExpectAnno, type LoadCmd } from './script.js';
import { almostEqual, parseSequence, parseSeriesNumber } from './values.js';

/** The skip rule, printed with the counts. */
export const SKIP_RULE =
  'an eval is skipped only if it needs native histograms (a {{...}} literal in the query or its expected ' +
  'result, or a query selecting a series loaded with native-histogram samples or converted by load_with_nhcb) ' +
  'or an experimental feature (experimental functions and limitk/limit_ratio, duration expressions, ' +
  'anchored/smoothed, fill modifiers, info(), series loaded with @st start timestamps)';

export interface EvalOutcome {
  line: number;
  expr: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Failure detail or skip reason. */
  message?: string;
}

export interface ScriptResult {
  passed: number;
  failed: number;
  skipped: number;
  evals: EvalOutcome[];
}

class Failure extends Error {}
class Skip extends Error {}

const AT_UNSAFE = [
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'end',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'range',
  'start',
  'step',
  'time',
  'timestamp',
];

export function runTestFile(path: string): ScriptResult {
  return runTestScript(readFileSync(path, 'utf8'));
}

export function runTestScript(text: string): ScriptResult {
  const cmds = parseScript(text);
  const storage = new MemoryStorage();
  const engine = new Engine({ maxSamples: 10000, timeout: 0, parser: { experimental: true } });
  const result: ScriptResult = { passed: 0, failed: 0, skipped: 0, evals: [] };
  let startTimestamps = false;
  for (const cmd of cmds) {
    if (cmd.kind === 'clear') {
      storage.clear();
      startTimestamps = false;
    } else if (cmd.kind === 'load') {
      if (load(storage, cmd)) startTimestamps = true;
    } else {
      const outcome: EvalOutcome = { line: cmd.line, expr: cmd.expr, status: 'passed' };
      try {
        if (startTimestamps) throw new Skip('experimental: start timestamps');
        runEval(engine, storage, cmd);
      } catch (e) {
        if (e instanceof Skip) {
          outcome.status = 'skipped';
          outcome.message = e.message;
        } else {
          outcome.status = 'failed';
          outcome.message = (e as Error).message;
        }
      }
      result[outcome.status]++;
      result.evals.push(outcome);
    }
  }
  return result;
}

/** Loads a block; returns true when it used start timestamps (which are not stored). */
function load(storage: MemoryStorage, cmd: LoadCmd): boolean {
  let usedSt = false;
  const nhcbFamilies = new Map<string, Labels>();
  for (const s of cmd.series) {
    if (s.startTimestamps) {
      usedSt = true;
      continue;
    }
    const vs = parseSeriesDescription(s.selector);
    const labels = Labels.from(vs.matchers.map((m: Matcher) => [m.name, m.value] as [string, string]));
    if (s.values.includes('{{')) {
      storage.markHistogram(labels);
      continue;
    }
    const values = parseSequence(s.values);
    values.forEach((v, k) => {
      if (v !== undefined) storage.add(labels, k * cmd.interval, v === 'stale' ? STALE_NAN : v);
    });
    if (cmd.withNhcb) {
      const name = labels.get('__name__');
      const m = /^(.*)_(bucket|count|sum)$/.exec(name);
      if (m) {
        const base = labels.without('le').with({ __name__: m[1]! });
        nhcbFamilies.set(base.key(), base);
      }
    }
  }
  // load_with_nhcb also stores each classic family as a native histogram, which is not supported.
  for (const l of nhcbFamilies.values()) storage.markHistogram(l);
  return usedSt;
}

function needsSkip(cmd: EvalCmd, expr: Expr): void {
  if (cmd.expr.includes('{{') || cmd.rawLines.some((l) => l.includes('{{'))) throw new Skip('native histograms: histogram literal');
  walk(expr, (e) => {
    if (e.type === 'Call' && e.func.experimental) throw new Skip(`experimental: function ${e.func.name}()`);
    if (e.type === 'AggregateExpr' && (e.op === 'limitk' || e.op === 'limit_ratio')) throw new Skip(`experimental: ${e.op}`);
  });
}

function runEval(engine: Engine, storage: MemoryStorage, cmd: EvalCmd): void {
  let expr: Expr;
  try {
    expr = parseExpr(cmd.expr, { experimental: true });
  } catch (e) {
    if (e instanceof ParseError && e.unsupported) {
      throw new Skip(e.unsupported.startsWith('native histograms') ? e.unsupported : `experimental: ${e.unsupported}`);
    }
    if (cmd.expr.includes('{{')) throw new Skip('native histograms: histogram literal');
    throw new Failure(`parse error: ${(e as Error).message}`);
  }
  needsSkip(cmd, expr);
  try {
    if (cmd.range) runRange(engine, storage, cmd);
    else runInstant(engine, storage, cmd, expr);
  } catch (e) {
    if (e instanceof NativeHistogramsUnsupportedError) throw new Skip('native histograms: query reads histogram series');
    throw e;
  }
}

const failExpected = (cmd: EvalCmd): ExpectAnno | undefined => cmd.expects.find((e) => e.type === 'fail');

/** Returns true when the query failed as expected (nothing more to check). */
function checkError(cmd: EvalCmd, err: unknown, what: string): boolean {
  const fail = failExpected(cmd);
  if (err === undefined) {
    if (fail) throw new Failure(`expected error evaluating query ${what} but got none`);
    return false;
  }
  if (err instanceof NativeHistogramsUnsupportedError) throw err;
  if (!(err instanceof QueryError || err instanceof ParseError)) throw err as Error;
  if (!fail) throw new Failure(`error evaluating query ${what}: ${(err).message}`);
  const msg = err instanceof ParseError ? err.detail : err.message;
  if (fail.mode === 'msg' && msg !== fail.text) throw new Failure(`expected error "${fail.text}", got "${msg}"`);
  if (fail.mode === 'regex' && !new RegExp(fail.text!).test(msg)) throw new Failure(`expected error matching /${fail.text}/, got "${msg}"`);
  return true;
}

function checkAnnotations(cmd: EvalCmd, res: QueryResult): void {
  for (const [kind, list, noType] of [
    ['warn', res.warnings, 'no_warn'],
    ['info', res.infos, 'no_info'],
  ] as const) {
    const expects = cmd.expects.filter((e) => e.type === kind);
    if (cmd.expects.some((e) => e.type === noType) && list.length > 0) {
      throw new Failure(`unexpected ${kind} annotations: ${list.join('; ')}`);
    }
    if (expects.length === 0) continue;
    const matches = (e: ExpectAnno, a: string): boolean =>
      e.mode === undefined || (e.mode === 'msg' ? a === e.text : new RegExp(e.text!).test(a));
    for (const e of expects) {
      if (!list.some((a) => matches(e, a))) {
        throw new Failure(`expected ${kind} annotation ${e.text ? `"${e.text}"` : ''} but got [${list.join('; ')}]`);
      }
    }
    for (const a of list) {
      if (!expects.some((e) => matches(e, a))) throw new Failure(`unexpected ${kind} annotation "${a}"`);
    }
  }
}

interface Expected {
  labels: Labels;
  values: (number | undefined)[];
  stale: boolean[];
}


function expectedSeries(cmd: EvalCmd): Expected[] {
  return cmd.series.map(([sel, vals]) => {
    const labels = /^\{\s*\}$/.test(sel)
      ? Labels.EMPTY
      : Labels.from(parseSeriesDescription(sel).matchers.map((m) => [m.name, m.value] as [string, string]));
    const seq = parseSequence(vals);
    return { labels, values: seq.map((v) => (v === 'stale' ? NaN : v)), stale: seq.map((v) => v === 'stale') };
  });
}

function fmtFloat(v: number): string {
  return Number.isNaN(v) ? 'NaN' : String(v);
}

/** Compares an instant result (vector/scalar/string) against the expectations. */
function compareInstant(cmd: EvalCmd, res: QueryResult): void {
  const v = res.value;
  if (cmd.expectString !== undefined) {
    if (v.type !== 'string') throw new Failure(`expected string result, got ${v.type}`);
    if (v.value !== cmd.expectString) throw new Failure(`expected string "${cmd.expectString}", got "${v.value}"`);
    return;
  }
  if (cmd.scalar !== undefined) {
    if (v.type !== 'scalar') throw new Failure(`expected scalar result, got ${v.type}`);
    const want = parseSeriesNumber(cmd.scalar);
    if (!almostEqual(want, v.value, false, false)) throw new Failure(`expected scalar ${cmd.scalar}, got ${fmtFloat(v.value)}`);
    return;
  }
  if (cmd.rangeVector) {
    if (v.type !== 'matrix') throw new Failure(`expected range vector, got ${v.type}`);
    compareMatrix(cmd, v.value, cmd.rangeVector.start, cmd.rangeVector.step);
    return;
  }
  if (v.type === 'scalar' || v.type === 'string') throw new Failure(`expected vector result, got ${v.type}`);
  if (v.type === 'matrix') throw new Failure('expected vector result, got matrix');
  compareVector(cmd, v.value.map((s) => ({ labels: s.metric, f: s.f })));
}

function compareVector(cmd: EvalCmd, got: { labels: Labels; f: number }[]): void {
  const want = expectedSeries(cmd);
  const ordered = cmd.expects.some((e) => e.type === 'ordered');
  if (got.length !== want.length) {
    throw new Failure(`expected ${want.length} samples, got ${got.length}: ${got.map((g) => `${g.labels.toString()} ${fmtFloat(g.f)}`).join(', ')}`);
  }
  const byKey = new Map(got.map((g, i) => [g.labels.key(), i]));
  want.forEach((w, i) => {
    const gi = byKey.get(w.labels.key());
    if (gi === undefined) throw new Failure(`expected series ${w.labels.toString()} not in result`);
    if (ordered && gi !== i) throw new Failure(`expected ${w.labels.toString()} at position ${i + 1}, got ${gi + 1}`);
    if (w.values.length !== 1) throw new Failure(`expected exactly one value for ${w.labels.toString()}`);
    const g = got[gi]!;
    const wv = w.values[0];
    if (wv === undefined || !almostEqual(wv, g.f, w.stale[0]!, isStaleNaN(g.f))) {
      throw new Failure(`expected ${fmtFloat(wv ?? NaN)} for ${w.labels.toString()}, got ${fmtFloat(g.f)}`);
    }
  });
}

function compareMatrix(cmd: EvalCmd, got: Series[], start: number, step: number): void {
  for (let i = 1; i < got.length; i++) {
    if (Labels.compare(got[i - 1]!.metric, got[i]!.metric) > 0) throw new Failure('matrix result is not sorted by labels');
  }
  const want = expectedSeries(cmd).filter((w) => w.values.some((v) => v !== undefined));
  if (got.length !== want.length) {
    throw new Failure(`expected ${want.length} series, got ${got.length}: ${got.map((g) => g.metric.toString()).join(', ')}`);
  }
  const byKey = new Map(got.map((g) => [g.metric.key(), g]));
  for (const w of want) {
    const g = byKey.get(w.labels.key());
    if (!g) throw new Failure(`expected series ${w.labels.toString()} not in result`);
    const pts: [number, number, boolean][] = [];
    w.values.forEach((v, k) => {
      if (v !== undefined) pts.push([start + k * step, v, w.stale[k]!]);
    });
    if (pts.length !== g.ts.length) {
      throw new Failure(
        `expected ${pts.length} points for ${w.labels.toString()}, got ${g.ts.length}: ${g.ts.map((t, k) => `${fmtFloat(g.fs[k]!)}@${t}`).join(' ')}`,
      );
    }
    pts.forEach(([t, v, stale], k) => {
      if (g.ts[k] !== t || !almostEqual(v, g.fs[k]!, stale, isStaleNaN(g.fs[k]!))) {
        throw new Failure(`expected ${fmtFloat(v)}@${t} for ${w.labels.toString()}, got ${fmtFloat(g.fs[k]!)}@${g.ts[k]}`);
      }
    });
  }
}

function runRange(engine: Engine, storage: MemoryStorage, cmd: EvalCmd): void {
  let res: QueryResult | undefined;
  let err: unknown;
  try {
    res = engine.rangeQuery(storage, cmd.expr, cmd.start, cmd.end, cmd.step);
  } catch (e) {
    err = e;
  }
  if (checkError(cmd, err, cmd.expr)) return;
  checkAnnotations(cmd, res!);
  if (res!.value.type !== 'matrix') throw new Failure(`range query returned ${res!.value.type}`);
  compareMatrix(cmd, res!.value.value, cmd.start, cmd.step);
}

function runInstant(engine: Engine, storage: MemoryStorage, cmd: EvalCmd, expr: Expr): void {
  const t = cmd.start;
  const variants: { query: string; t: number }[] = [{ query: cmd.expr, t }];
  const atVariant = atModifierQuery(expr, t);
  if (atVariant !== undefined) {
    const times = t === 0 ? [-1000, 0, 1000] : [-10 * t, 0, t / 5, t, 10 * t];
    for (const at of times) variants.push({ query: atVariant, t: Math.trunc(at) });
  }
  for (const { query, t: evalT } of variants) {
    const where = query === cmd.expr ? '' : ` (as "${query}" at ${evalT}ms)`;
    try {
      runInstantOnce(engine, storage, cmd, query, evalT);
    } catch (e) {
      if (e instanceof Failure && where) throw new Failure(`${e.message}${where}`);
      throw e;
    }
  }
}

function runInstantOnce(engine: Engine, storage: MemoryStorage, cmd: EvalCmd, query: string, t: number): void {
  let res: QueryResult | undefined;
  let err: unknown;
  try {
    res = engine.instantQuery(storage, query, t);
  } catch (e) {
    err = e;
  }
  if (checkError(cmd, err, query)) return;
  checkAnnotations(cmd, res!);
  compareInstant(cmd, res!);
  const ordered = cmd.expects.some((e) => e.type === 'ordered');
  if (ordered || cmd.rangeVector || cmd.expectString !== undefined || /\b(start|end|range|step)\(\)/.test(query)) return;
  // Range-mode check: the same query as a range query around t must agree at t.
  let rr: QueryResult;
  try {
    rr = engine.rangeQuery(storage, query, t - 60_000, t + 60_000, 60_000);
  } catch (e) {
    if (e instanceof NativeHistogramsUnsupportedError) throw e;
    throw new Failure(`error evaluating query in range mode: ${(e as Error).message}`);
  }
  if (rr.value.type !== 'matrix') throw new Failure('range mode did not return a matrix');
  const mat = rr.value.value;
  for (let i = 1; i < mat.length; i++) {
    if (Labels.compare(mat[i - 1]!.metric, mat[i]!.metric) > 0) throw new Failure('range-mode result is not sorted by labels');
  }
  const vec: { labels: Labels; f: number }[] = [];
  for (const s of mat) {
    const k = s.ts.indexOf(t);
    if (k >= 0) vec.push({ labels: s.metric, f: s.fs[k]! });
  }
  try {
    if (res!.value.type === 'scalar') {
      const want = parseSeriesNumber(cmd.scalar ?? 'NaN');
      const got = vec[0]?.f ?? NaN;
      if (!almostEqual(want, got, false, false)) throw new Failure(`expected scalar ${cmd.scalar}, got ${fmtFloat(got)}`);
    } else compareVector(cmd, vec);
  } catch (e) {
    if (e instanceof Failure) throw new Failure(`in range mode: ${e.message}`);
    throw e;
  }
}

/** The query with `@ t` added to every selector and subquery lacking one, or undefined when not applicable. */
export function atModifierQuery(expr: Expr, t: number): string | undefined {
  let unsafe = false;
  walk(expr, (e) => {
    if (e.type === 'Call' && AT_UNSAFE.includes(e.func.name)) unsafe = true;
  });
  if (unsafe) return undefined;
  const copy = structuredCloneExpr(expr);
  let changed = false;
  walk(copy, (e) => {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') {
      const hasAt = e.timestamp !== undefined || e.startOrEnd !== undefined;
      if (!hasAt) {
        e.timestamp = t;
        changed = true;
      }
      // Selectors inside a subquery keep their own times: the subquery now has an @.
      if (e.type === 'SubqueryExpr') return false;
    }
    if (e.type === 'MatrixSelector') {
      const vs = e.vs;
      if (vs.timestamp === undefined && vs.startOrEnd === undefined) {
        vs.timestamp = t;
        changed = true;
      }
      return false;
    }
    return true;
  });
  // Prometheus re-runs the query even when nothing changed (e.g. only literals).
  void changed;
  return formatExpr(copy);
}

/** Deep copy of an AST (Matchers and function definitions are immutable and shared). */
function structuredCloneExpr(e: Expr): Expr {
  const copy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(copy);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = k === 'func' ? x : copy(x);
      return o;
    }
    return v;
  };
  return copy(e) as Expr;
}

