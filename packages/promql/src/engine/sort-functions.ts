// sort_by_label() and sort_by_label_desc() (experimental): natural order on the given labels.
import { Labels } from '@promethium/tsdb-core';
import type { Call } from '../parser/ast.js';
import { stringArg, vectorArg } from './args.js';
import type { EvalValue, Evaluator } from './evaluator.js';
import type { StepRange } from './steps.js';
import type { Series } from './value.js';

/** Natural order of facette/natsort (Compare(a, b) = a < b): digit runs compare as numbers. */
export function natLess(a: string, b: string): boolean {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const x = ca[i]!;
    const y = cb[i]!;
    const bothNumeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (bothNumeric ? Number(x) === Number(y) : x === y) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return bothNumeric ? Number(x) < Number(y) : x < y;
  }
  return false;
}

export function sortByLabel(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const series = vectorArg(ev.eval(call.args[0]!, r));
  const names = call.args.slice(1).map((a) => stringArg(ev.eval(a, r)));
  if (ev.opts.isRangeQuery) {
    ev.annotate('warning', 'sort is ineffective for range queries since results are always ordered by labels', call.pos.start);
    return { kind: 'vector', series };
  }
  const desc = call.func.name === 'sort_by_label_desc';
  const cmp = (a: Series, b: Series): number => {
    for (const n of names) {
      const x = a.metric.get(n);
      const y = b.metric.get(n);
      if (x === y) continue;
      return natLess(x, y) ? -1 : 1;
    }
    return Labels.compare(a.metric, b.metric);
  };
  return { kind: 'vector', series: [...series].sort((a, b) => (desc ? cmp(b, a) : cmp(a, b))) };
}

