// Series selectors given on the command line (--match), parsed with the PromQL parser.
// Like Prometheus' ParseMetricSelector (and unlike a query), a selector whose matchers all
// match the empty string is allowed, e.g. {__name__!="x"}.
import { parseExpr } from '@promethium/promql';
import type { Matcher } from '@promethium/tsdb-core';

const SENTINEL = '__pmtool_selector__';

export function parseSelector(text: string): Matcher[] {
  let expr;
  try {
    expr = parseExpr(text);
  } catch (e) {
    const brace = text.indexOf('{');
    if (!(e instanceof Error) || !e.message.includes('at least one non-empty matcher') || brace < 0) throw e;
    // Satisfy the query rule with a matcher of our own, then drop it.
    expr = parseExpr(`${text.slice(0, brace + 1)}${SENTINEL}="x",${text.slice(brace + 1)}`);
    if (expr.type === 'VectorSelector') return expr.matchers.filter((m) => m.name !== SENTINEL);
  }
  if (expr.type !== 'VectorSelector') throw new Error(`${text}: expected a series selector such as up{job="x"}, got a ${expr.type}`);
  return expr.matchers;
}
