// Runs Prometheus test scripts against MemoryStorage and the Engine, including the implicit
// range-mode and `@`-modifier re-checks of Prometheus' runner.
import { readFileSync } from 'node:fs';
import { Labels, STALE_NAN, type Matcher } from '@promethium/tsdb-core';
import { Engine } from '../engine/engine.js';
import { IMPLEMENTED_EXPERIMENTAL } from '../engine/functions.js';
import type { QueryResult } from '../engine/value.js';
import type { Expr } from '../parser/ast.js';
import { walk } from '../parser/ast.js';
import { atModifierQuery } from './at-modifier.js';
import { checkAnnotations, checkError, compareInstant, compareMatrix, compareVector, Failure, fmtFloat } from './compare.js';
import { ParseError } from '../parser/errors.js';
import { parseExpr, parseSeriesDescription } from '../parser/parser.js';
import { MemoryStorage, NativeHistogramsUnsupportedError } from '../storage/memory.js';
import { parseScript, type EvalCmd, type LoadCmd } from './script.js';
import { almostEqual, parseSequence, parseSeriesNumber } from './values.js';

export { atModifierQuery };

/** The skip rule, printed with the counts. */
export const SKIP_RULE =
  'an eval is skipped only if it needs native histograms (a {{...}} literal in the query or its expected ' +
  'result, or a query selecting a series loaded with native-histogram samples or converted by load_with_nhcb) ' +
  'or an experimental feature not implemented (experimental functions other than mad_over_time, ts_of_*_over_time, ' +
  'double_exponential_smoothing, sort_by_label(_desc), start/end/range/step, max_of/min_of; limit_ratio, duration expressions, ' +
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

class Skip extends Error {}

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
    if (e.type === 'Call' && e.func.experimental && !IMPLEMENTED_EXPERIMENTAL.has(e.func.name)) {
      throw new Skip(`experimental: function ${e.func.name}()`);
    }
    if (e.type === 'AggregateExpr' && e.op === 'limit_ratio') throw new Skip(`experimental: ${e.op}`);
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

