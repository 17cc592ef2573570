// Recursive-descent PromQL parser with Prometheus' operator precedence, producing the AST in
// ast.ts and type-checking it as Prometheus' checkAST does.
import type { Matcher, MatchType } from '@promethium/tsdb-core';
import {
  exprType,
  type AggregateOp,
  type BinaryOp,
  type Expr,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import { ParseError } from './errors.js';
import { FUNCTIONS } from './functions.js';
import { tokenize, type Token } from './lexer.js';
import { PromMatcher } from './regex.js';

const AGGREGATORS = new Set<AggregateOp>([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const PARAM_AGGREGATORS = new Set<AggregateOp>(['topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio']);

const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
const COMPARISON = new Set<BinaryOp>(['==', '!=', '<=', '<', '>=', '>']);
const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);

export function isComparisonOp(op: BinaryOp): boolean {
  return COMPARISON.has(op);
}
export function isSetOp(op: BinaryOp): boolean {
  return SET_OPS.has(op);
}

export function typeName(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

export interface ParseOptions {
  /** Accept experimental functions and aggregations (limitk, limit_ratio, sort_by_label, ...). */
  experimental?: boolean;
}

export function parseExpr(input: string, options: ParseOptions = {}): Expr {
  return new Parser(input, options).parseTop();
}

/** Parses a series selector written in a load line: `name{l="v"}` or `{__name__="n"}`. */
export function parseSeriesDescription(input: string): VectorSelector {
  const e = parseExpr(input);
  if (e.type !== 'VectorSelector') throw new ParseError(input, 0, 'expected a series selector');
  return e;
}

class Parser {
  private readonly toks: Token[];
  private i = 0;

  constructor(
    private readonly input: string,
    private readonly opts: ParseOptions,
  ) {
    this.toks = tokenize(input);
  }

  parseTop(): Expr {
    if (this.peek().kind === 'EOF') throw this.err(this.peek().pos, 'no expression found in input');
    const e = this.parseBinary(0);
    const t = this.peek();
    if (t.kind !== 'EOF') throw this.unexpected(t);
    return e;
  }

  // --- token helpers

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'OP' && t.text === text;
  }
  private isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'IDENT' && t.text.toLowerCase() === word;
  }
  private expectOp(text: string, context: string): Token {
    const t = this.next();
    if (t.kind !== 'OP' || t.text !== text) throw this.unexpected(t, context, `"${text}"`);
    return t;
  }
  private err(pos: number, msg: string, unsupported?: string): ParseError {
    return new ParseError(this.input, pos, msg, unsupported);
  }
  private describe(t: Token): string {
    if (t.kind === 'EOF') return 'end of input';
    if (t.kind === 'STRING') return `string ${t.text}`;
    if (t.kind === 'NUMBER') return `number "${t.text}"`;
    if (t.kind === 'DURATION') return `duration "${t.text}"`;
    if (t.kind === 'IDENT') {
      const low = t.text.toLowerCase();
      if (isBinaryKeyword(low) || AGGREGATORS.has(low as AggregateOp)) return low;
      return `identifier "${t.text}"`;
    }
    return describeOp(t.text);
  }
  private unexpected(t: Token, context?: string, expected?: string): ParseError {
    let msg = `unexpected ${this.describe(t)}`;
    if (context) msg += ` in ${context}`;
    if (expected) msg += `, expected ${expected}`;
    return this.err(t.pos, msg);
  }

  // --- expressions

  private peekBinaryOp(): BinaryOp | undefined {
    const t = this.peek();
    if (t.kind === 'OP') {
      const op = t.text as BinaryOp;
      return op in PRECEDENCE ? op : undefined;
    }
    if (t.kind === 'IDENT') {
      const low = t.text.toLowerCase();
      if (isBinaryKeyword(low)) return low as BinaryOp;
    }
    return undefined;
  }

  private parseBinary(minPrec: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      if (this.isOp('</') || this.isOp('>/')) {
        throw this.err(this.peek().pos, 'histogram trim operators are not supported', 'native histograms: trim operators');
      }
      const op = this.peekBinaryOp();
      if (op === undefined) return lhs;
      const prec = PRECEDENCE[op];
      if (prec < minPrec) return lhs;
      const opTok = this.next();
      let returnBool = false;
      if (this.isKw('bool')) {
        this.next();
        returnBool = true;
        if (!COMPARISON.has(op)) throw this.err(opTok.pos, 'bool modifier can only be used on comparison operators');
      }
      let matching: VectorMatching | undefined;
      let explicitMatching = false;
      if (this.isKw('on') || this.isKw('ignoring')) {
        explicitMatching = true;
        const on = this.next().text.toLowerCase() === 'on';
        const labels = this.parseLabelList('grouping opts');
        matching = { card: 'one-to-one', matchingLabels: labels, on, include: [] };
        if (this.isKw('group_left') || this.isKw('group_right')) {
          const g = this.next();
          const left = g.text.toLowerCase() === 'group_left';
          const include = this.isOp('(') ? this.parseLabelList('grouping opts') : [];
          matching.card = left ? 'many-to-one' : 'one-to-many';
          matching.include = include;
          if (SET_OPS.has(op)) throw this.err(lhs.pos.start, `no grouping allowed for "${op}" operation`);
        }
      } else if (this.isKw('group_left') || this.isKw('group_right')) {
        throw this.unexpected(this.peek(), 'binary expression');
      }
      if (this.isKw('fill') || this.isKw('fill_left') || this.isKw('fill_right')) {
        throw this.err(this.peek().pos, 'fill modifiers are experimental and not supported', 'fill modifiers');
      }
      // ^ is right-associative; everything else is left-associative.
      const rhs = this.parseBinary(op === '^' ? prec : prec + 1);
      lhs = this.makeBinary(op, lhs, rhs, returnBool, matching, explicitMatching, opTok);
    }
  }

  private makeBinary(
    op: BinaryOp,
    lhs: Expr,
    rhs: Expr,
    returnBool: boolean,
    matching: VectorMatching | undefined,
    explicitMatching: boolean,
    opTok: Token,
  ): Expr {
    const lt = exprType(lhs);
    const rt = exprType(rhs);
    const pos = { start: lhs.pos.start, end: rhs.pos.end };
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
      throw this.err(pos.start, 'binary expression must contain only scalar and instant vector types');
    }
    const bothVectors = lt === 'vector' && rt === 'vector';
    if (explicitMatching && !bothVectors) {
      throw this.err(pos.start, 'vector matching only allowed between instant vectors');
    }
    if (COMPARISON.has(op) && lt === 'scalar' && rt === 'scalar' && !returnBool) {
      throw this.err(opTok.pos, 'comparisons between scalars must use BOOL modifier');
    }
    if (SET_OPS.has(op)) {
      if (lt === 'scalar' || rt === 'scalar') {
        throw this.err(pos.start, `set operator "${op}" not allowed in binary scalar expression`);
      }
    }
    if (bothVectors) {
      matching ??= { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
      if (SET_OPS.has(op)) matching.card = 'many-to-many';
      if (matching.on) {
        for (const l of matching.include) {
          if (matching.matchingLabels.includes(l)) {
            throw this.err(opTok.pos, `label "${l}" must not occur in ON and GROUP clause at once`);
          }
        }
      }
    }
    return { type: 'BinaryExpr', op, lhs, rhs, returnBool, matching: bothVectors ? matching : undefined, pos };
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'OP' && (t.text === '-' || t.text === '+')) {
      this.next();
      // Unary minus binds like multiplication: only ^ binds tighter.
      const operand = this.parseBinary(PRECEDENCE['^']);
      const ty = exprType(operand);
      if (ty !== 'scalar' && ty !== 'vector') {
        throw this.err(t.pos, `unary expression only allowed on expressions of type scalar or instant vector, got "${typeName(ty)}"`);
      }
      if (operand.type === 'NumberLiteral') {
        if (t.text === '-') operand.val = -operand.val;
        operand.pos = { start: t.pos, end: operand.pos.end };
        return operand;
      }
      return { type: 'UnaryExpr', op: t.text, expr: operand, pos: { start: t.pos, end: operand.pos.end } };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(e: Expr): Expr {
    for (;;) {
      if (this.isOp('[')) {
        e = this.parseBracket(e);
      } else if (this.isKw('offset')) {
        const kw = this.next();
        let neg = false;
        if (this.isOp('-') || this.isOp('+')) neg = this.next().text === '-';
        const ms = this.parseDurationValue('offset');
        this.setOffset(e, neg ? -ms : ms, kw);
        e.pos = { start: e.pos.start, end: this.toks[this.i - 1]!.end };
      } else if (this.isOp('@')) {
        const at = this.next();
        this.setAt(e, at);
        e.pos = { start: e.pos.start, end: this.toks[this.i - 1]!.end };
      } else if (this.isKw('anchored') || this.isKw('smoothed')) {
        throw this.err(this.peek().pos, `the ${this.peek().text} modifier is experimental and not supported`, 'extended range selectors');
      } else {
        return e;
      }
    }
  }

  private target(e: Expr): Expr {
    return e.type === 'MatrixSelector' ? e.vs : e;
  }

  private setOffset(e: Expr, ms: number, kw: Token): void {
    const t = this.target(e);
    if (t.type !== 'VectorSelector' && t.type !== 'SubqueryExpr') {
      throw this.err(kw.pos, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    }
    if (t.offset !== 0 || (t as { offsetSet?: boolean }).offsetSet) throw this.err(e.pos.start, 'offset may not be set multiple times');
    t.offset = ms;
    (t as { offsetSet?: boolean }).offsetSet = true;
  }

  private setAt(e: Expr, atTok: Token): void {
    const t = this.target(e);
    if (t.type !== 'VectorSelector' && t.type !== 'SubqueryExpr') {
      throw this.err(atTok.pos, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    }
    if (t.timestamp !== undefined || t.startOrEnd !== undefined) throw this.err(atTok.pos, '@ <timestamp> may not be set multiple times');
    if (this.isKw('start') || this.isKw('end')) {
      const which = this.next().text.toLowerCase() as 'start' | 'end';
      for (const want of ['(', ')']) {
        const tok = this.next();
        if (tok.kind !== 'OP' || tok.text !== want) throw this.unexpected(tok, '@', 'timestamp');
      }
      t.startOrEnd = which;
      return;
    }
    let sign = 1;
    if (this.isOp('-') || this.isOp('+')) sign = this.next().text === '-' ? -1 : 1;
    const tok = this.next();
    let v: number;
    if (tok.kind === 'NUMBER') v = tok.num!;
    else if (tok.kind === 'DURATION') v = tok.num! / 1000;
    else if (tok.kind === 'IDENT' && /^(inf|nan)$/i.test(tok.text)) v = tok.text.toLowerCase() === 'inf' ? Infinity : NaN;
    else throw this.unexpected(tok, '@', 'timestamp');
    v *= sign;
    if (!Number.isFinite(v) || Math.abs(v * 1000) > 9.2e18) throw this.err(tok.pos, 'timestamp out of bounds for @ modifier: ' + String(v));
    t.timestamp = Math.round(v * 1000);
  }

  /** A duration: `5m`, or a plain number of seconds. Returns ms. */
  private parseDurationValue(context: string): number {
    const t = this.next();
    let ms: number;
    if (t.kind === 'DURATION') ms = t.num!;
    else if (t.kind === 'NUMBER') ms = Math.round(t.num! * 1000);
    else if (t.kind === 'IDENT' || (t.kind === 'OP' && ['(', '-', '+'].includes(t.text))) {
      throw this.err(t.pos, 'duration expressions are experimental and not supported', 'duration expressions');
    } else throw this.unexpected(t, context, 'duration');
    const after = this.peek();
    if (after.kind === 'OP' && ['+', '-', '*', '/', '%', '^'].includes(after.text) && context !== 'offset') {
      throw this.err(after.pos, 'duration expressions are experimental and not supported', 'duration expressions');
    }
    return ms;
  }

  private parseBracket(e: Expr): Expr {
    const open = this.next();
    const rangeTok = this.peek();
    const range = this.parseDurationValue(this.isColonAhead() ? 'subquery selector' : 'matrix selector');
    if (range <= 0) throw this.err(rangeTok.pos, 'duration must be greater than 0');
    if (this.isOp(':')) {
      this.next();
      let step = 0;
      if (!this.isOp(']')) step = this.parseDurationValue('subquery selector');
      const close = this.expectOp(']', 'subquery selector');
      const ty = exprType(e);
      if (ty !== 'vector') throw this.err(e.pos.start, `subquery is only allowed on instant vector, got ${typeName(ty)} instead`);
      return { type: 'SubqueryExpr', expr: e, range, step, offset: 0, pos: { start: e.pos.start, end: close.end } };
    }
    const close = this.expectOp(']', 'matrix selector');
    if (e.type !== 'VectorSelector') {
      throw this.err(open.pos, 'ranges only allowed for vector selectors');
    }
    if (e.offset !== 0 || (e as { offsetSet?: boolean }).offsetSet) throw this.err(open.pos, 'no offset modifiers allowed before range');
    if (e.timestamp !== undefined || e.startOrEnd !== undefined) throw this.err(open.pos, 'no @ modifiers allowed before range');
    return { type: 'MatrixSelector', vs: e, range, pos: { start: e.pos.start, end: close.end } };
  }

  private isColonAhead(): boolean {
    for (let k = 0; ; k++) {
      const t = this.peek(k);
      if (t.kind === 'EOF' || (t.kind === 'OP' && t.text === ']')) return false;
      if (t.kind === 'OP' && t.text === ':') return true;
    }
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'NUMBER':
        this.next();
        return { type: 'NumberLiteral', val: t.num!, pos: { start: t.pos, end: t.end } };
      case 'DURATION':
        this.next();
        return { type: 'NumberLiteral', val: t.num! / 1000, duration: true, pos: { start: t.pos, end: t.end } };
      case 'STRING':
        this.next();
        return { type: 'StringLiteral', val: t.str!, pos: { start: t.pos, end: t.end } };
      case 'OP':
        if (t.text === '(') {
          this.next();
          if (this.isOp(')')) throw this.unexpected(this.peek(), 'paren expression');
          const inner = this.parseBinary(0);
          const close = this.next();
          if (close.kind !== 'OP' || close.text !== ')') throw this.unexpected(close, 'paren expression', '")"');
          return { type: 'ParenExpr', expr: inner, pos: { start: t.pos, end: close.end } };
        }
        if (t.text === '{') return this.parseSelector(undefined, t.pos);
        throw this.unexpected(t);
      case 'IDENT': {
        const low = t.text.toLowerCase();
        if (low === 'inf' || low === 'nan') {
          this.next();
          return { type: 'NumberLiteral', val: low === 'inf' ? Infinity : NaN, pos: { start: t.pos, end: t.end } };
        }
        if (AGGREGATORS.has(low as AggregateOp) && (this.isOp('(', 1) || this.isKw('by', 1) || this.isKw('without', 1))) {
          return this.parseAggregate();
        }
        if (this.isOp('(', 1)) return this.parseCall();
        if (isBinaryKeyword(low) || AGGREGATORS.has(low as AggregateOp) || ['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset'].includes(low)) {
          throw this.unexpected(t);
        }
        this.next();
        return this.parseSelector(t.text, t.pos);
      }
      case 'EOF':
        throw this.unexpected(t);
    }
  }

  private parseCall(): Expr {
    const nameTok = this.next();
    const fn = FUNCTIONS.get(nameTok.text);
    if (!fn) throw this.err(nameTok.pos, `unknown function with name "${nameTok.text}"`);
    if (fn.experimental && !this.opts.experimental) {
      throw this.err(nameTok.pos, `function "${fn.name}" is not enabled`, `experimental function ${fn.name}`);
    }
    if (fn.name === 'info') throw this.err(nameTok.pos, 'info() is experimental and not supported', 'experimental function info()');
    this.expectOp('(', 'function call');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.parseBinary(0));
        if (this.isOp(',')) {
          this.next();
          if (this.isOp(')')) break; // trailing comma is allowed
          continue;
        }
        break;
      }
    }
    const close = this.next();
    if (close.kind !== 'OP' || close.text !== ')') throw this.unexpected(close, 'function call', '"," or ")"');
    const pos = { start: nameTok.pos, end: close.end };
    const n = fn.argTypes.length;
    if (fn.variadic === 0 && args.length !== n) {
      throw this.err(pos.start, `expected ${n} argument(s) in call to "${fn.name}", got ${args.length}`);
    }
    if (fn.variadic !== 0) {
      const min = n - 1;
      if (args.length < min) throw this.err(pos.start, `expected at least ${min} argument(s) in call to "${fn.name}", got ${args.length}`);
      if (fn.variadic > 0 && args.length > min + fn.variadic) {
        throw this.err(pos.start, `expected at most ${min + fn.variadic} argument(s) in call to "${fn.name}", got ${args.length}`);
      }
    }
    args.forEach((a, idx) => {
      const want = fn.argTypes[Math.min(idx, n - 1)]!;
      const got = exprType(a);
      if (got !== want) {
        throw this.err(a.pos.start, `expected type ${typeName(want)} in call to function "${fn.name}", got ${typeName(got)}`);
      }
    });
    return { type: 'Call', func: fn, args, pos };
  }

  private parseAggregate(): Expr {
    const opTok = this.next();
    const op = opTok.text.toLowerCase() as AggregateOp;
    if ((op === 'limitk' || op === 'limit_ratio') && !this.opts.experimental) {
      throw this.err(opTok.pos, `limitk() and limit_ratio() are experimental and must be enabled`, `experimental aggregation ${op}`);
    }
    let grouping: string[] = [];
    let without = false;
    let hasModifier = false;
    if (this.isKw('by') || this.isKw('without')) {
      without = this.next().text.toLowerCase() === 'without';
      grouping = this.parseLabelList('grouping opts');
      hasModifier = true;
    }
    this.expectOp('(', 'aggregation');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.parseBinary(0));
        if (!this.isOp(',')) break;
        this.next();
        if (this.isOp(')')) break;
      }
    }
    const close = this.next();
    if (close.kind !== 'OP' || close.text !== ')') throw this.unexpected(close, 'aggregation', '"," or ")"');
    let end = close.end;
    if (this.isKw('by') || this.isKw('without')) {
      if (hasModifier) throw this.unexpected(this.peek(), 'aggregation');
      without = this.next().text.toLowerCase() === 'without';
      grouping = this.parseLabelList('grouping opts');
      end = this.toks[this.i - 1]!.end;
    }
    const pos = { start: opTok.pos, end };
    const wantParam = PARAM_AGGREGATORS.has(op);
    if (args.length === 0) throw this.err(close.pos, 'no arguments for aggregate expression provided');
    if (args.length !== (wantParam ? 2 : 1)) {
      throw this.err(pos.start, `wrong number of arguments for aggregate expression provided, expected ${wantParam ? 2 : 1}, got ${args.length}`);
    }
    const expr = args[wantParam ? 1 : 0]!;
    const param = wantParam ? args[0] : undefined;
    if (exprType(expr) !== 'vector') {
      throw this.err(expr.pos.start, `expected type instant vector in aggregation expression, got ${typeName(exprType(expr))}`);
    }
    if (param) {
      const want: ValueType = op === 'count_values' ? 'string' : 'scalar';
      if (exprType(param) !== want) {
        throw this.err(param.pos.start, `expected type ${typeName(want)} in aggregation parameter, got ${typeName(exprType(param))}`);
      }
    }
    return { type: 'AggregateExpr', op, expr, param, grouping, without, pos };
  }

  private parseLabelName(context: string): string {
    const t = this.next();
    if (t.kind === 'IDENT') return t.text;
    if (t.kind === 'STRING') return t.str!;
    throw this.unexpected(t, context, 'label');
  }

  private parseLabelList(context: string): string[] {
    this.expectOp('(', context);
    const out: string[] = [];
    while (!this.isOp(')')) {
      out.push(this.parseLabelName(context));
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      if (!this.isOp(')')) throw this.unexpected(this.peek(), context, '"," or ")"');
    }
    this.next();
    return out;
  }

  private parseSelector(name: string | undefined, start: number): VectorSelector {
    const matchers: Matcher[] = [];
    let metricName = name;
    let end = this.toks[this.i - 1]?.end ?? start;
    if (this.isOp('{')) {
      this.next();
      while (!this.isOp('}')) {
        const lt = this.peek();
        if (lt.kind === 'STRING' && (this.isOp(',', 1) || this.isOp('}', 1))) {
          // A bare quoted string is the metric name: {"my.metric"}.
          this.next();
          if (metricName !== undefined) throw this.err(lt.pos, `metric name must not be set twice: "${metricName}" or "${lt.str}"`);
          metricName = lt.str!;
        } else {
          if (lt.kind !== 'IDENT' && lt.kind !== 'STRING') throw this.unexpected(lt, 'label matching', 'identifier or "}"');
          const lname = this.parseLabelName('label matching');
          const opTok = this.next();
          if (opTok.kind !== 'OP' || !['=', '!=', '=~', '!~'].includes(opTok.text)) {
            throw this.unexpected(opTok, 'label matching', 'label matching operator');
          }
          const vt = this.next();
          if (vt.kind !== 'STRING') throw this.unexpected(vt, 'label matching', 'string');
          try {
            matchers.push(new PromMatcher(opTok.text as MatchType, lname, vt.str!));
          } catch (e) {
            throw this.err(lt.pos, (e as Error).message);
          }
        }
        if (this.isOp(',')) {
          this.next();
          continue;
        }
        if (!this.isOp('}')) throw this.unexpected(this.peek(), 'label matching', '"," or "}"');
      }
      end = this.next().end;
    }
    if (metricName !== undefined) {
      for (const m of matchers) {
        if (m.name === '__name__') throw this.err(start, `metric name must not be set twice: "${metricName}" or "${m.value}"`);
      }
      matchers.unshift(new PromMatcher('=', '__name__', metricName));
    }
    if (!matchers.some((m) => !m.matchesEmpty())) {
      throw this.err(start, 'vector selector must contain at least one non-empty matcher');
    }
    return { type: 'VectorSelector', name: metricName ?? '', matchers, offset: 0, pos: { start, end } };
  }
}

function isBinaryKeyword(w: string): boolean {
  return w === 'and' || w === 'or' || w === 'unless' || w === 'atan2';
}

function describeOp(text: string): string {
  const names: Record<string, string> = {
    '(': '"("',
    ')': '")"',
    '{': '"{"',
    '}': '"}"',
    '[': '"["',
    ']': '"]"',
    ',': '","',
    ':': '":"',
    '@': '"@"',
    '=': '"="',
  };
  return names[text] ?? `"${text}"`;
}
