import { describe, expect, it } from 'vitest';
import type { AggregateExpr, BinaryExpr, Call, MatrixSelector, NumberLiteral, SubqueryExpr, VectorSelector } from './ast.js';
import { ParseError } from './errors.js';
import { parseExpr } from './parser.js';

const num = (q: string): number => (parseExpr(q) as NumberLiteral).val;

describe('parseExpr: literals', () => {
  it('parses decimal, exponent, hex, Inf/NaN and duration numbers', () => {
    expect(num('12.34e6')).toBe(12340000);
    expect(num('.5')).toBe(0.5);
    expect(num('2.')).toBe(2);
    expect(num('0x1F')).toBe(31);
    expect(num('-inf')).toBe(-Infinity);
    expect(num('+Inf')).toBe(Infinity);
    expect(Number.isNaN(num('nAn'))).toBe(true);
    expect(num('1h30m')).toBe(5400);
    expect(num('250ms')).toBe(0.25);
    expect(num('-5m')).toBe(-300);
  });

  it('decodes every Go string escape and raw strings', () => {
    const s = (q: string): string => (parseExpr(q) as { val: string }).val;
    expect(s(String.raw`"a\tb\n\"c\"\\"`)).toBe('a\tb\n"c"\\');
    expect(s(String.raw`'it\'s'`)).toBe("it's");
    expect(s(String.raw`"\x41\101\u00e9\U0001F600"`)).toBe('AAé😀');
    expect(s(String.raw`"\xe2\x82\xac"`)).toBe('€');
    expect(s('`raw \\n stays`')).toBe('raw \\n stays');
    expect(() => parseExpr(String.raw`"\q"`)).toThrow("unknown escape sequence 'q'");
    expect(() => parseExpr('"open')).toThrow('1:1: parse error: unterminated quoted string');
  });
});

describe('parseExpr: selectors', () => {
  it('parses names, matchers, quoted UTF-8 names and __name__ matchers', () => {
    const vs = parseExpr('http_requests_total{job="api", code!~"5.."}') as VectorSelector;
    expect(vs.name).toBe('http_requests_total');
    expect(vs.matchers.map((m) => m.toString())).toEqual(['__name__="http_requests_total"', 'job="api"', 'code!~"5.."']);
    const utf = parseExpr('{"my.metric", "some.label"="x"}') as VectorSelector;
    expect(utf.name).toBe('my.metric');
    expect(utf.matchers[1]!.name).toBe('some.label');
    const byName = parseExpr('{__name__=~"a|b"}') as VectorSelector;
    expect(byName.name).toBe('');
    expect(() => parseExpr('foo{__name__="bar"}')).toThrow('metric name must not be set twice: "foo" or "bar"');
    expect(() => parseExpr('{job=~".*"}')).toThrow('vector selector must contain at least one non-empty matcher');
  });

  it('parses ranges, offsets (also negative), @ and subqueries', () => {
    const ms = parseExpr('rate(foo[5m] offset -1h @ 100)') as Call;
    const m = ms.args[0] as MatrixSelector;
    expect(m.range).toBe(300_000);
    expect(m.vs.offset).toBe(-3_600_000);
    expect(m.vs.timestamp).toBe(100_000);
    const at = parseExpr('foo @ end()') as VectorSelector;
    expect(at.startOrEnd).toBe('end');
    const sq = parseExpr('max_over_time(rate(foo[1m])[1h:5m] @ start() offset 10m)') as Call;
    const s = sq.args[0] as SubqueryExpr;
    expect([s.range, s.step, s.offset, s.startOrEnd]).toEqual([3_600_000, 300_000, 600_000, 'start']);
    expect((parseExpr('foo[5m:]') as SubqueryExpr).step).toBe(0);
    expect((parseExpr('foo[90]') as MatrixSelector).range).toBe(90_000);
    expect(() => parseExpr('foo offset 1m offset 2m')).toThrow('offset may not be set multiple times');
    expect(() => parseExpr('foo @ 1 @ 2')).toThrow('@ <timestamp> may not be set multiple times');
    expect(() => parseExpr('(foo + bar)[5m]')).toThrow('ranges only allowed for vector selectors');
    expect(() => parseExpr('1 offset 5m')).toThrow('offset modifier must be preceded by an instant vector selector');
  });
});

describe('parseExpr: operators', () => {
  it('applies precedence and associativity (^ is right-associative)', () => {
    const b = parseExpr('a + b * c ^ d ^ e') as BinaryExpr;
    expect(b.op).toBe('+');
    const mul = b.rhs as BinaryExpr;
    expect(mul.op).toBe('*');
    const pow = mul.rhs as BinaryExpr;
    expect(pow.op).toBe('^');
    expect((pow.rhs as BinaryExpr).op).toBe('^');
    const left = parseExpr('a - b - c') as BinaryExpr;
    expect((left.lhs as BinaryExpr).op).toBe('-');
    const or = parseExpr('a or b and c unless d') as BinaryExpr;
    expect(or.op).toBe('or');
    expect((or.rhs as BinaryExpr).op).toBe('unless');
    expect(parseExpr('-2 ^ 2')).toMatchObject({ type: 'UnaryExpr', op: '-', expr: { type: 'BinaryExpr', op: '^' } });
    expect(parseExpr('-a * b')).toMatchObject({ type: 'BinaryExpr', op: '*', lhs: { type: 'UnaryExpr' } });
    expect((parseExpr('2 ^ -1') as BinaryExpr).rhs).toMatchObject({ type: 'NumberLiteral', val: -1 });
  });

  it('parses bool, on/ignoring and group modifiers', () => {
    const b = parseExpr('a > bool on(job, instance) group_left(version) b') as BinaryExpr;
    expect(b.returnBool).toBe(true);
    expect(b.matching).toEqual({ card: 'many-to-one', matchingLabels: ['job', 'instance'], on: true, include: ['version'] });
    const s = parseExpr('a and ignoring(x) b') as BinaryExpr;
    expect(s.matching?.card).toBe('many-to-many');
    expect(() => parseExpr('1 > 2')).toThrow('comparisons between scalars must use BOOL modifier');
    expect(() => parseExpr('a + bool b')).toThrow('bool modifier can only be used on comparison operators');
    expect(() => parseExpr('a and on(x) group_left b')).toThrow('no grouping allowed for "and" operation');
    expect(() => parseExpr('1 and a')).toThrow('set operator "and" not allowed in binary scalar expression');
    expect(() => parseExpr('a + on(x) 1')).toThrow('vector matching only allowed between instant vectors');
    expect(() => parseExpr('foo[5m] + 1')).toThrow('binary expression must contain only scalar and instant vector types');
  });

  it('parses aggregations with grouping before or after and parameters', () => {
    const a = parseExpr('sum by (job) (rate(x[5m]))') as AggregateExpr;
    const b = parseExpr('sum(rate(x[5m])) by (job)') as AggregateExpr;
    expect(a.grouping).toEqual(['job']);
    expect(b.grouping).toEqual(['job']);
    const t = parseExpr('topk without (instance) (3, x)') as AggregateExpr;
    expect([t.op, t.without, (t.param as NumberLiteral).val]).toEqual(['topk', true, 3]);
    const cv = parseExpr('count_values("value", x)') as AggregateExpr;
    expect(cv.param?.type).toBe('StringLiteral');
    expect((parseExpr('quantile(0.9, x)') as AggregateExpr).op).toBe('quantile');
    expect((parseExpr('limitk(2, x)', { experimental: true }) as AggregateExpr).op).toBe('limitk');
    expect(() => parseExpr('limitk(2, x)')).toThrow('experimental');
    expect(() => parseExpr('topk(x)')).toThrow('wrong number of arguments for aggregate expression provided, expected 2, got 1');
    expect(() => parseExpr('count_values(1, x)')).toThrow('expected type string in aggregation parameter, got scalar');
    expect(() => parseExpr('sum by (a) (x) by (b)')).toThrow('unexpected');
  });

  it('checks function arity and argument types', () => {
    expect((parseExpr('round(x)') as Call).args).toHaveLength(1);
    expect((parseExpr('label_join(x, "d", ",", "a", "b", "c")') as Call).args).toHaveLength(6);
    expect(() => parseExpr('rate(x)')).toThrow('expected type range vector in call to function "rate", got instant vector');
    expect(() => parseExpr('abs(x, y)')).toThrow('expected 1 argument(s) in call to "abs", got 2');
    expect(() => parseExpr('round(x, 1, 2)')).toThrow('expected at most 2 argument(s) in call to "round", got 3');
    expect(() => parseExpr('nope(x)')).toThrow('unknown function with name "nope"');
  });

  it('ignores comments and whitespace', () => {
    expect(num('# leading\n 7 # trailing')).toBe(7);
    expect((parseExpr('1 + # comment\n 2') as BinaryExpr).op).toBe('+');
  });
});

describe('parse errors', () => {
  it('report line:column like Prometheus', () => {
    try {
      parseExpr('sum(foo');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).message).toBe('1:8: parse error: unclosed left parenthesis');
      expect((e as ParseError).column).toBe(8);
    }
    expect(() => parseExpr('foo\n  + )')).toThrow("2:6: parse error: unexpected right parenthesis ')'");
    expect(() => parseExpr('foo{a="b"')).toThrow('1:10: parse error: unexpected end of input inside braces');
    expect(() => parseExpr('foo[5m')).toThrow('1:7: parse error: unclosed left bracket');
    expect(() => parseExpr('foo[5x]')).toThrow('1:5: parse error: bad duration syntax: "5"');
    expect(() => parseExpr('foo @ start')).toThrow('1:12: parse error: unexpected end of input in @, expected timestamp');
    expect(() => parseExpr('foo{,}')).toThrow('1:5: parse error: unexpected "," in label matching, expected identifier or "}"');
    expect(() => parseExpr('')).toThrow('1:1: parse error: no expression found in input');
    expect(() => parseExpr('foo $')).toThrow("1:5: parse error: unexpected character: '$'");
  });
});
