import { describe, expect, it } from 'vitest';
import { findErrorPosition } from './error-position.js';

describe('findErrorPosition', () => {
  it('reads Prometheus 2.x parse errors', () => {
    const expr = 'sum(rate(up[5m]) by';
    const p = findErrorPosition('invalid parameter "query": 1:20: parse error: unexpected end of input', expr);
    expect(p).toEqual({ from: 19, to: 19, line: 1, column: 20 });
    expect(findErrorPosition('1:5: parse error: unexpected <op:*>', 'up + * 1')).toEqual({ from: 4, to: 5, line: 1, column: 5 });
  });
  it('handles multi-line expressions and ranges', () => {
    const expr = 'sum(\n  foo bar\n)';
    expect(findErrorPosition('2:7: parse error: unexpected identifier "bar"', expr)).toEqual({ from: 11, to: 12, line: 2, column: 7 });
    expect(findErrorPosition('parse error at 2:3-2:6: bad', expr)?.from).toBe(7);
  });
  it('returns undefined when no position is given', () => {
    expect(findErrorPosition('query timed out in expression evaluation', 'up')).toBeUndefined();
    expect(findErrorPosition('0:0: nothing', 'up')).toBeUndefined();
  });
});
