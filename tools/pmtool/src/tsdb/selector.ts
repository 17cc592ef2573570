// Series selectors given on the command line (--match), parsed with the PromQL parser.
import { parseExpr } from '@promethium/promql';
import type { Matcher } from '@promethium/tsdb-core';

export function parseSelector(text: string): Matcher[] {
  const expr = parseExpr(text);
  if (expr.type !== 'VectorSelector') throw new Error(`${text}: expected a series selector such as up{job="x"}, got a ${expr.type}`);
  return expr.matchers;
}
