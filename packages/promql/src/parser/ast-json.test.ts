import { describe, expect, it } from 'vitest';
import { exprToJson } from './ast-json.js';
import { parseExpr } from './parser.js';

describe('exprToJson (parse_query shape)', () => {
  it('renders selectors, calls and aggregations', () => {
    expect(exprToJson(parseExpr('sum by (job) (rate(x{a="b"}[5m] offset 1m))'))).toEqual({
      type: 'aggregation',
      op: 'sum',
      param: null,
      grouping: ['job'],
      without: false,
      expr: {
        type: 'call',
        func: { name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
        args: [
          {
            type: 'matrixSelector',
            name: 'x',
            range: 300_000,
            offset: 60_000,
            matchers: [
              { name: '__name__', value: 'x', type: '=' },
              { name: 'a', value: 'b', type: '=' },
            ],
            timestamp: null,
            startOrEnd: null,
          },
        ],
      },
    });
  });

  it('renders binary expressions, literals, @ and subqueries', () => {
    expect(exprToJson(parseExpr('a > bool on(x) b'))).toMatchObject({
      type: 'binaryExpr',
      op: '>',
      bool: true,
      matching: { card: 'one-to-one', labels: ['x'], on: true, include: [] },
    });
    expect(exprToJson(parseExpr('1 + 2'))).toMatchObject({ rhs: { type: 'numberLiteral', val: '2' }, matching: null });
    expect(exprToJson(parseExpr('x[1h:] @ end()'))).toMatchObject({ type: 'subquery', step: 0, startOrEnd: 'end', timestamp: null });
    expect(exprToJson(parseExpr('-(x @ 10)'))).toMatchObject({
      type: 'unaryExpr',
      op: '-',
      expr: { type: 'parenExpr', expr: { type: 'vectorSelector', timestamp: 10_000 } },
    });
  });
});
