// Go's labels.Labels.String(): {a="1", b="2"}, values quoted with strconv.Quote.
import { goQuote } from '@promethium/promql';
import type { Labels } from '@promethium/tsdb-core';

export function goLabels(ls: Labels): string {
  const parts: string[] = [];
  ls.forEach((name, value) => parts.push(`${name}=${goQuote(value)}`));
  return `{${parts.join(', ')}}`;
}
