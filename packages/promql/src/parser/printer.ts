// AST back to canonical PromQL, matching Prometheus' Expr.String(): used by format_query and
// by the test runner's `@` rewrite (the re-printed query must parse back to the same tree).
import type { Matcher } from '@promethium/tsdb-core';
import type { AtModifier, Expr, VectorSelector } from './ast.js';
import { formatDuration } from '../duration.js';

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Go's strconv.Quote for the characters PromQL strings contain. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\v':
        out += '\\v';
        break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
        else if (cp >= 0xdc80 && cp <= 0xdcff) out += `\\x${(cp - 0xdc00).toString(16)}`;
        else out += ch;
    }
  }
  return out + '"';
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expS] = m;
  const exp = Number(expS);
  const digits = int! + frac;
  if (exp >= 0) {
    const intLen = 1 + exp;
    return sign! + (digits.length <= intLen ? digits.padEnd(intLen, '0') : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`);
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

export function formatLabelName(n: string): string {
  return LEGACY_LABEL.test(n) ? n : goQuote(n);
}

function formatMatcher(m: Matcher): string {
  return `${formatLabelName(m.name)}${m.type}${goQuote(m.value)}`;
}

function atString(a: AtModifier): string {
  if (a.startOrEnd) return ` @ ${a.startOrEnd}()`;
  if (a.timestamp !== undefined) return ` @ ${(a.timestamp / 1000).toFixed(3)}`;
  return '';
}

function offsetString(ms: number): string {
  if (ms > 0) return ` offset ${formatDuration(ms)}`;
  if (ms < 0) return ` offset -${formatDuration(-ms)}`;
  return '';
}

function selectorBase(vs: VectorSelector): string {
  const parts: string[] = [];
  const named = vs.name !== '';
  for (const m of vs.matchers) {
    if (m.name === '__name__' && m.type === '=' && m.value === vs.name && m.value !== '') continue;
    parts.push(formatMatcher(m));
  }
  parts.sort();
  let name = vs.name;
  if (named && !LEGACY_METRIC.test(name)) {
    parts.unshift(goQuote(name));
    name = '';
  }
  if (parts.length === 0) return name;
  return `${name}{${parts.join(',')}}`;
}

function groupingList(labels: readonly string[]): string {
  return labels.map(formatLabelName).join(', ');
}

export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      if (e.duration && Number.isFinite(e.val) && Number.isInteger(Math.round(e.val * 1e6) / 1e3)) {
        return e.val < 0 ? `-${formatDuration(-e.val * 1000)}` : formatDuration(e.val * 1000);
      }
      return formatFloat(e.val);
    case 'StringLiteral':
      return goQuote(e.val);
    case 'VectorSelector':
      return selectorBase(e) + atString(e) + offsetString(e.offset);
    case 'MatrixSelector':
      return `${selectorBase(e.vs)}[${formatDuration(e.range)}]${atString(e.vs)}${offsetString(e.vs.offset)}`;
    case 'SubqueryExpr':
      return `${formatExpr(e.expr)}[${formatDuration(e.range)}:${e.step ? formatDuration(e.step) : ''}]${atString(e)}${offsetString(e.offset)}`;
    case 'Call':
      return `${e.func.name}(${e.args.map(formatExpr).join(', ')})`;
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${groupingList(e.grouping)}) `;
      else if (e.grouping.length > 0) s += ` by (${groupingList(e.grouping)}) `;
      s += '(';
      if (e.param) s += `${formatExpr(e.param)}, `;
      return `${s}${formatExpr(e.expr)})`;
    }
    case 'BinaryExpr': {
      let matching = '';
      const vm = e.matching;
      if (vm && (vm.matchingLabels.length > 0 || vm.on)) {
        matching = ` ${vm.on ? 'on' : 'ignoring'} (${groupingList(vm.matchingLabels)})`;
        if (vm.card === 'many-to-one' || vm.card === 'one-to-many') {
          matching += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${groupingList(vm.include)})`;
        }
      }
      return `${formatExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matching} ${formatExpr(e.rhs)}`;
    }
    case 'UnaryExpr':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'ParenExpr':
      return `(${formatExpr(e.expr)})`;
  }
}
