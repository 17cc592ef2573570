// label_replace() and label_join(): series-wise relabelling; two series landing on one label
// set at one step is Prometheus' duplicate-labelset error.
import type { Labels } from '@promethium/tsdb-core';
import type { Call } from '../parser/ast.js';
import { isValidUtf8 } from '../parser/lexer.js';
import { compileAnchored } from '../parser/regex.js';
import { stringArg, vectorArg } from './args.js';
import type { EvalValue, Evaluator } from './evaluator.js';
import { forEachStep, type StepRange } from './steps.js';
import { QueryError, type Series } from './value.js';

function isValidLabelName(n: string): boolean {
  return n !== '' && isValidUtf8(n);
}

/** Go regexp.Expand: $1, ${1}, $name, ${name}, $$; a `$name` takes the longest word. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([^}]*)\}|([a-zA-Z0-9_]+))/g, (all, tok: string, braced?: string, bare?: string) => {
    if (tok === '$') return '$';
    const nm = braced ?? bare ?? '';
    if (braced !== undefined && !/^[a-zA-Z0-9_]+$/.test(nm)) return all;
    if (/^\d+$/.test(nm)) return m[Number(nm)] ?? '';
    return m.groups?.[nm] ?? '';
  });
}

function relabel(ev: Evaluator, series: Series[], r: StepRange, f: (s: Series) => [Labels, boolean]): EvalValue {
  const b = ev.newBuilder();
  const changed = series.map(f);
  forEachStep(series, r, (_i, t, v) => {
    for (let k = 0; k < v.n; k++) {
      const [metric, dropName] = changed[v.idx[k]!]!;
      b.add(metric, t, v.f[k]!, dropName);
    }
  });
  return { kind: 'vector', series: b.result() };
}

export function labelReplace(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const series = vectorArg(ev.eval(call.args[0]!, r));
  const dst = stringArg(ev.eval(call.args[1]!, r));
  const repl = stringArg(ev.eval(call.args[2]!, r));
  const src = stringArg(ev.eval(call.args[3]!, r));
  const reText = stringArg(ev.eval(call.args[4]!, r));
  let re: RegExp;
  try {
    re = compileAnchored(reText);
  } catch (e) {
    throw new QueryError(`invalid regular expression in label_replace(): ${reText}: ${(e as Error).message}`);
  }
  if (!isValidLabelName(dst)) throw new QueryError(`invalid destination label name in label_replace(): ${dst}`);
  return relabel(ev, series, r, (s) => {
    const m = re.exec(s.metric.get(src));
    if (!m) return [s.metric, s.dropName];
    const value = expand(repl, m);
    return [s.metric.with({ [dst]: value }), dst === '__name__' ? false : s.dropName];
  });
}

export function labelJoin(ev: Evaluator, call: Call, r: StepRange): EvalValue {
  const series = vectorArg(ev.eval(call.args[0]!, r));
  const dst = stringArg(ev.eval(call.args[1]!, r));
  const sep = stringArg(ev.eval(call.args[2]!, r));
  const srcs = call.args.slice(3).map((a) => stringArg(ev.eval(a, r)));
  for (const s of srcs) if (!isValidLabelName(s)) throw new QueryError(`invalid source label name in label_join(): ${s}`);
  if (!isValidLabelName(dst)) throw new QueryError(`invalid destination label name in label_join(): ${dst}`);
  return relabel(ev, series, r, (s) => {
    const value = srcs.map((n) => s.metric.get(n)).join(sep);
    return [s.metric.with({ [dst]: value }), dst === '__name__' ? false : s.dropName];
  });
}

