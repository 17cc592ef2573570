// The runner's @-modifier re-check: pin every selector and subquery to the evaluation time and
// print the query back, as Prometheus' atModifierTestCases does.
import type { Expr } from '../parser/ast.js';
import { walk } from '../parser/ast.js';
import { formatExpr } from '../parser/printer.js';

/** Functions whose result depends on the evaluation time even with step-invariant arguments. */
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

/** The query with `@ t` added to every selector and subquery lacking one; undefined when it uses a time-dependent function. */
export function atModifierQuery(expr: Expr, t: number): string | undefined {
  let unsafe = false;
  walk(expr, (e) => {
    if (e.type === 'Call' && AT_UNSAFE.includes(e.func.name)) unsafe = true;
  });
  if (unsafe) return undefined;
  const copy = structuredCloneExpr(expr);
  walk(copy, (e) => {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') {
      const hasAt = e.timestamp !== undefined || e.startOrEnd !== undefined;
      if (!hasAt) {
        e.timestamp = t;
      }
      // Selectors inside a subquery keep their own times: the subquery now has an @.
      if (e.type === 'SubqueryExpr') return false;
    }
    if (e.type === 'MatrixSelector') {
      const vs = e.vs;
      if (vs.timestamp === undefined && vs.startOrEnd === undefined) {
        vs.timestamp = t;
      }
      return false;
    }
    return true;
  });
  // Prometheus re-runs the query even when nothing changed (e.g. only literals).
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

