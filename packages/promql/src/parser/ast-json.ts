// The AST as the JSON tree Prometheus' /api/v1/parse_query returns (the shape its UI's tree
// view reads): node "type" names, matchers as {name, value, type}, times in ms.
import type { Expr, VectorSelector } from './ast.js';
import { formatFloat } from './printer.js';

export type AstJson = Record<string, unknown> | null;

function matchers(vs: VectorSelector): { name: string; value: string; type: string }[] {
  return vs.matchers.map((m) => ({ name: m.name, value: m.value, type: m.type }));
}

export function exprToJson(e: Expr | undefined): AstJson {
  if (e === undefined) return null;
  switch (e.type) {
    case 'AggregateExpr':
      return { type: 'aggregation', op: e.op, expr: exprToJson(e.expr), param: exprToJson(e.param), grouping: e.grouping, without: e.without };
    case 'BinaryExpr':
      return {
        type: 'binaryExpr',
        op: e.op,
        lhs: exprToJson(e.lhs),
        rhs: exprToJson(e.rhs),
        matching: e.matching
          ? { card: e.matching.card, labels: e.matching.matchingLabels, on: e.matching.on, include: e.matching.include }
          : null,
        bool: e.returnBool,
      };
    case 'Call':
      return {
        type: 'call',
        func: { name: e.func.name, argTypes: e.func.argTypes, variadic: e.func.variadic, returnType: e.func.returnType },
        args: e.args.map(exprToJson),
      };
    case 'MatrixSelector':
      return {
        type: 'matrixSelector',
        name: e.vs.name,
        range: e.range,
        offset: e.vs.offset,
        matchers: matchers(e.vs),
        timestamp: e.vs.startOrEnd ? null : (e.vs.timestamp ?? null),
        startOrEnd: e.vs.startOrEnd ?? null,
      };
    case 'SubqueryExpr':
      return {
        type: 'subquery',
        expr: exprToJson(e.expr),
        range: e.range,
        offset: e.offset,
        step: e.step,
        timestamp: e.startOrEnd ? null : (e.timestamp ?? null),
        startOrEnd: e.startOrEnd ?? null,
      };
    case 'NumberLiteral':
      return { type: 'numberLiteral', val: formatFloat(e.val) };
    case 'ParenExpr':
      return { type: 'parenExpr', expr: exprToJson(e.expr) };
    case 'StringLiteral':
      return { type: 'stringLiteral', val: e.val };
    case 'UnaryExpr':
      return { type: 'unaryExpr', op: e.op, expr: exprToJson(e.expr) };
    case 'VectorSelector':
      return {
        type: 'vectorSelector',
        name: e.name,
        offset: e.offset,
        matchers: matchers(e),
        timestamp: e.startOrEnd ? null : (e.timestamp ?? null),
        startOrEnd: e.startOrEnd ?? null,
      };
  }
}
