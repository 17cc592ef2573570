// The PromQL abstract syntax tree, shaped after Prometheus' parser package so the printer,
// the engine and `parse_query` can share one representation.
import type { Matcher } from '@promethium/tsdb-core';
import type { FunctionDef } from './functions.js';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Byte offsets into the query text: [start, end). */
export interface PosRange {
  start: number;
  end: number;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'count_values'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

export type BinaryOp =
  | 'or'
  | 'and'
  | 'unless'
  | '=='
  | '!='
  | '<='
  | '<'
  | '>='
  | '>'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2';

export interface NumberLiteral {
  type: 'NumberLiteral';
  val: number;
  /** Written as a duration (`5m`), printed back as one. */
  duration?: boolean;
  pos: PosRange;
}

export interface StringLiteral {
  type: 'StringLiteral';
  val: string;
  pos: PosRange;
}

export interface AtModifier {
  /** Fixed evaluation time in ms (`@ 100`), resolved from start()/end() before evaluation. */
  timestamp?: number;
  startOrEnd?: 'start' | 'end';
}

export interface VectorSelector extends AtModifier {
  type: 'VectorSelector';
  name: string;
  matchers: Matcher[];
  /** Offset in ms; negative looks into the future. */
  offset: number;
  pos: PosRange;
}

export interface MatrixSelector {
  type: 'MatrixSelector';
  vs: VectorSelector;
  range: number;
  pos: PosRange;
}

export interface SubqueryExpr extends AtModifier {
  type: 'SubqueryExpr';
  expr: Expr;
  range: number;
  /** 0 means the engine's default step. */
  step: number;
  offset: number;
  pos: PosRange;
}

export interface Call {
  type: 'Call';
  func: FunctionDef;
  args: Expr[];
  pos: PosRange;
}

export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  param: Expr | undefined;
  grouping: string[];
  without: boolean;
  pos: PosRange;
}

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  card: Cardinality;
  matchingLabels: string[];
  on: boolean;
  include: string[];
}

export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  /** Present when both sides are vectors. */
  matching: VectorMatching | undefined;
  pos: PosRange;
}

export interface UnaryExpr {
  type: 'UnaryExpr';
  op: '-' | '+';
  expr: Expr;
  pos: PosRange;
}

export interface ParenExpr {
  type: 'ParenExpr';
  expr: Expr;
  pos: PosRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

export function exprType(e: Expr): ValueType {
  switch (e.type) {
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'VectorSelector':
    case 'AggregateExpr':
      return 'vector';
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'Call':
      return e.func.returnType;
    case 'BinaryExpr':
      return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'UnaryExpr':
    case 'ParenExpr':
      return exprType(e.expr);
  }
}

/** Pre-order walk; the visitor returns false to skip a node's children. */
export function walk(e: Expr, visit: (e: Expr, path: readonly Expr[]) => boolean | void, path: Expr[] = []): void {
  if (visit(e, path) === false) return;
  path.push(e);
  for (const c of children(e)) walk(c, visit, path);
  path.pop();
}

export function children(e: Expr): Expr[] {
  switch (e.type) {
    case 'MatrixSelector':
      return [e.vs];
    case 'SubqueryExpr':
    case 'UnaryExpr':
    case 'ParenExpr':
      return [e.expr];
    case 'Call':
      return e.args;
    case 'AggregateExpr':
      return e.param ? [e.param, e.expr] : [e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    default:
      return [];
  }
}
