import { describe, expect, it } from 'vitest';
import { parseExpr } from './parser.js';
import { formatExpr, formatFloat, goQuote } from './printer.js';

const fmt = (q: string): string => formatExpr(parseExpr(q, { experimental: true }));

describe('formatExpr', () => {
  it.each([
    ['{job="a",__name__="foo"}', '{__name__="foo",job="a"}'],
    ['foo{b="2", a="1"}', 'foo{a="1",b="2"}'],
    ['{__name__=~"x.*"}', '{__name__=~"x.*"}'],
    ['{"my.metric", job="a"}', '{"my.metric",job="a"}'],
    ['rate(foo[5m] offset -1h @ 100)', 'rate(foo[5m] @ 100.000 offset -1h)'],
    ['foo offset 90s', 'foo offset 1m30s'],
    ['foo @ start()', 'foo @ start()'],
    ['max_over_time(rate(x[1m])[1h:5m] offset 5m)', 'max_over_time(rate(x[1m])[1h:5m] offset 5m)'],
    ['x[5m:]', 'x[5m:]'],
    ['sum(rate(x[5m])) by (job)', 'sum by (job) (rate(x[5m]))'],
    ['sum without(instance)(x)', 'sum without (instance) (x)'],
    ['topk(5, x)', 'topk(5, x)'],
    ['count_values("v", x)', 'count_values("v", x)'],
    ['a > bool on(job) group_left(v) b', 'a > bool on (job) group_left (v) b'],
    ['a + ignoring(x) b', 'a + ignoring (x) b'],
    ['a   and   b', 'a and b'],
    ['-(a)', '-(a)'],
    ['1e-7 + 1e21', '0.0000001 + 1000000000000000000000'],
    ['-Inf', '-Inf'],
    ['5m', '5m'],
    ['"a\\nb"', '"a\\nb"'],
    ['label_replace(x, "d", "$1", "s", "(.*)")', 'label_replace(x, "d", "$1", "s", "(.*)")'],
  ])('%s -> %s', (input, want) => {
    expect(fmt(input)).toBe(want);
    // The canonical form parses back to itself.
    expect(fmt(want)).toBe(want);
  });

  it('formats floats like Go strconv FormatFloat(f, -1)', () => {
    expect(formatFloat(0.1)).toBe('0.1');
    expect(formatFloat(-2.5e-10)).toBe('-0.00000000025');
    expect(formatFloat(1.5e22)).toBe('15000000000000000000000');
    expect(formatFloat(NaN)).toBe('NaN');
    expect(formatFloat(Infinity)).toBe('+Inf');
  });

  it('quotes like Go strconv.Quote, keeping invalid UTF-8 bytes as \\x escapes', () => {
    expect(goQuote('a"b\\c\x01')).toBe('"a\\"b\\\\c\\x01"');
    const s = (parseExpr('"a\\xc5z"') as { val: string }).val;
    expect(goQuote(s)).toBe('"a\\xc5z"');
  });
});
