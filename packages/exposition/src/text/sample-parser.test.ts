import { describe, expect, it } from 'vitest';
import { ExpositionError, TextSampleParser } from '../index.js';

function entries(src: string) {
  const p = new TextSampleParser(src);
  const out: unknown[] = [];
  for (let t = p.next(); t !== undefined; t = p.next()) {
    if (t === 'sample') out.push({ name: p.name, labels: p.labels(), value: p.value, ts: p.timestampMs, series: p.series() });
    else if (t === 'help') out.push({ help: p.name, text: p.text });
    else if (t === 'type') out.push({ type: p.name, t: p.metricType });
  }
  return out;
}

function error(src: string): ExpositionError {
  try {
    entries(src);
  } catch (e) {
    if (e instanceof ExpositionError) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('TextSampleParser', () => {
  it('streams samples with labels, timestamps, HELP and TYPE', () => {
    const src = '# HELP m Some \\\\ help\\n "x"\n# TYPE m counter\n# plain comment\n\nm{a="1",b="x\\"y\\\\z\\n"} 2 -1500\n  m2   3\t\n';
    expect(entries(src)).toEqual([
      { help: 'm', text: 'Some \\ help\n "x"' },
      { type: 'm', t: 'counter' },
      { name: 'm', labels: { a: '1', b: 'x"y\\z\n' }, value: 2, ts: -1500, series: 'm{a="1",b="x\\"y\\\\z\\n"}' },
      { name: 'm2', labels: {}, value: 3, ts: undefined, series: 'm2' },
    ]);
  });
  it('accepts NaN, infinities, exponents and a trailing comma', () => {
    const e = entries('a{x="1",} NaN\nb +Inf\nc -Inf\nd 1.5e3\ne .5\nf { x = "y" , } 1\n');
    expect(e.map((x) => (x as { value: number }).value)).toEqual([NaN, Infinity, -Infinity, 1500, 0.5, 1]);
    expect((e[5] as { labels: unknown }).labels).toEqual({ x: 'y' });
  });
  it('reads quoted UTF-8 metric and label names', () => {
    expect(entries('{"my.metric", "a.b"="c", d="e"} 1\n# TYPE "my.metric" gauge\n')).toEqual([
      { name: 'my.metric', labels: { 'a.b': 'c', d: 'e' }, value: 1, ts: undefined, series: '{"my.metric", "a.b"="c", d="e"}' },
      { type: 'my.metric', t: 'gauge' },
    ]);
    expect(entries('m{"ünï"="v"} 1\n')).toEqual([
      { name: 'm', labels: { ünï: 'v' }, value: 1, ts: undefined, series: 'm{"ünï"="v"}' },
    ]);
  });
  it('advances past a HELP line without text (a streaming consumer must not loop)', () => {
    expect(entries('# HELP a\n# HELP a \na 1\n')).toEqual([
      { help: 'a', text: '' },
      { help: 'a', text: '' },
      { name: 'a', labels: {}, value: 1, ts: undefined, series: 'a' },
    ]);
  });
  it('treats untyped as unknown and keeps a label named __proto__ as data', () => {
    expect(entries('# TYPE a untyped\n')).toEqual([{ type: 'a', t: 'unknown' }]);
    const p = new TextSampleParser('a{__proto__="x"} 1\n');
    p.next();
    const l = p.labels();
    expect(Object.keys(l)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(l)).toBe(Object.prototype);
  });
  it.each([
    ['a 1', 1, 4, 'unexpected end of input stream'],
    ['a 0x10\n', 1, 3, 'expected float as value, got "0x10"'],
    ['a 1_0\n', 1, 3, 'expected float as value'],
    ['a 1e400\n', 1, 3, 'expected float as value'],
    ['ok 1\na 1 2 3\n', 2, 7, 'spurious string after timestamp: "3"'],
    ['a 1 1.5\n', 1, 5, 'expected integer as timestamp, got "1.5"'],
    ['a 1 99999999999999999999\n', 1, 5, 'expected integer as timestamp'],
    ['a{x="1",x="2"} 1\n', 1, 9, 'duplicate label names for metric "a"'],
    ['a{x="\\q"} 1\n', 1, 6, "invalid escape sequence '\\q'"],
    ['a{x="a\nb"} 1\n', 1, 7, 'unescaped new-line'],
    ['a{x=1} 1\n', 1, 5, 'expected \'"\' at start of label value'],
    ['a{x"1"} 1\n', 1, 4, "expected '=' after label name"],
    ['a{,} 1\n', 1, 3, 'invalid label name'],
    ['a{x="1" y="2"} 1\n', 1, 9, 'after label value'],
    ['1a 1\n', 1, 1, 'invalid metric name'],
    ['{a="b"} 1\n', 1, 1, 'invalid metric name'],
    ['a{__name__="b"} 1\n', 1, 3, 'reserved'],
    ['# TYPE a foo\n', 1, 10, 'unknown metric type "foo"'],
    ['# HELP a x\\y\n', 1, 11, "invalid escape sequence '\\y'"],
    ['a 1\r\n', 1, 3, 'expected float as value, got "1\r"'],
    ['a 1\n# comment without newline', 2, 26, 'unexpected end of input stream'],
    ['é{x="ü"} 1\n', 1, 1, 'invalid metric name'],
    ['ok{x="ü"} 1\nbad{x="ü"} 1 x\n', 2, 14, 'expected integer as timestamp'],
  ])('rejects %j at %d:%d', (src, line, column, msg) => {
    const e = error(src);
    expect(e.message).toContain(msg);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.format).toBe('text');
  });
  it('reports byte offsets in the UTF-8 input and rejects malformed UTF-8', () => {
    const bytes = new TextEncoder().encode('ok{x="ü"} 1\nbad 1 x\n');
    let err: unknown;
    try {
      entries(new TextDecoder().decode(bytes));
      new TextSampleParser(bytes);
    } catch (e) {
      err = e;
    }
    expect((err as ExpositionError).offset).toBe(19);
    const bad = Uint8Array.from([0x61, 0x20, 0x31, 0x0a, 0x62, 0xff, 0x20, 0x31, 0x0a]);
    expect(() => new TextSampleParser(bad)).toThrow(/2:2: invalid UTF-8/);
  });
});

describe('TextSampleParser string reuse', () => {
  it('never confuses a reused name or value with a different or escaped one', () => {
    const src =
      'abc{x="v",y="w"} 1\nabcd{x="v",xy="w\\\\"} 2\nabc{x="v\\"",y="w\\\\"} 3\nab{xx="vv",y="w\\\\\\\\"} 4\n' +
      '{"abc.d"} 5\nabc{x="v"} 6\n{"abc", "x"="v"} 7\nabc{x="v\\n"} 8\nabc{x="v"} 9\n';
    const p = new TextSampleParser(src);
    const got: unknown[] = [];
    for (let t = p.next(); t !== undefined; t = p.next()) got.push([p.name, p.labels(), p.value]);
    expect(got).toEqual([
      ['abc', { x: 'v', y: 'w' }, 1],
      ['abcd', { x: 'v', xy: 'w\\' }, 2],
      ['abc', { x: 'v"', y: 'w\\' }, 3],
      ['ab', { xx: 'vv', y: 'w\\\\' }, 4],
      ['abc.d', {}, 5],
      ['abc', { x: 'v' }, 6],
      ['abc', { x: 'v' }, 7],
      ['abc', { x: 'v\n' }, 8],
      ['abc', { x: 'v' }, 9],
    ]);
  });
});
