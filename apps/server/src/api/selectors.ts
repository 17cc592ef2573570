// match[] parameters: PromQL series selectors to tsdb matchers.
import { ParseError, parseExpr } from '@promethium/promql';
import type { Matcher } from '@promethium/tsdb-core';
import { badData } from './envelope.js';

export function parseSelector(text: string, param = 'match[]'): Matcher[] {
  let expr;
  try {
    expr = parseExpr(text);
  } catch (e) {
    if (e instanceof ParseError) throw badData(`invalid parameter "${param}": ${e.message}`);
    throw e;
  }
  if (expr.type !== 'VectorSelector') {
    throw badData(`invalid parameter "${param}": 1:1: parse error: expected a series selector, got "${text}"`);
  }
  return expr.matchers;
}

export function parseSelectors(texts: string[], required: boolean): Matcher[][] {
  if (required && texts.length === 0) throw badData('no match[] parameter provided');
  return texts.map((t) => parseSelector(t));
}
