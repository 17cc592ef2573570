// Assertions of the runner: errors, annotations, and vector/matrix/scalar/string results
// compared as Prometheus' promqltest does.
import { isStaleNaN, Labels } from '@promethium/tsdb-core';
import { QueryError, type QueryResult, type Series } from '../engine/value.js';
import { ParseError } from '../parser/errors.js';
import { parseSeriesDescription } from '../parser/parser.js';
import { NativeHistogramsUnsupportedError } from '../storage/memory.js';
import type { EvalCmd, ExpectAnno } from './script.js';
import { almostEqual, parseSequence, parseSeriesNumber } from './values.js';

/** An expectation that was not met. */
export class Failure extends Error {}

const failExpected = (cmd: EvalCmd): ExpectAnno | undefined => cmd.expects.find((e) => e.type === 'fail');

/** Returns true when the query failed as expected (nothing more to check). */
export function checkError(cmd: EvalCmd, err: unknown, what: string): boolean {
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

export function checkAnnotations(cmd: EvalCmd, res: QueryResult): void {
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

export function fmtFloat(v: number): string {
  return Number.isNaN(v) ? 'NaN' : String(v);
}

/** Compares an instant result (vector/scalar/string) against the expectations. */
export function compareInstant(cmd: EvalCmd, res: QueryResult): void {
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

export function compareVector(cmd: EvalCmd, got: { labels: Labels; f: number }[]): void {
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

export function compareMatrix(cmd: EvalCmd, got: Series[], start: number, step: number): void {
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

