// parseText's fast path must agree exactly with the streaming parser: the same families, samples,
// label order and the same errors (message, line, column, offset). The oracle below is parseText
// as it was before the fast path: every line through TextSampleParser.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from '../errors.js';
import type { MetricFamily, MetricType, Sample } from '../model.js';
import { parseFloatText } from '../numbers.js';
import { parseText } from './parse.js';
import { TextSampleParser } from './sample-parser.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../../shared');
const TEXTPARSE = resolve(SHARED, 'conformance/textparse');

function oracle(input: Uint8Array | string): MetricFamily[] {
  const p = new TextSampleParser(input);
  const byName = new Map<string, { family: MetricFamily; typeFixed: boolean }>();
  const order: { family: MetricFamily; typeFixed: boolean }[] = [];
  const accepts = (type: MetricType, suffix: string) =>
    (type === 'summary' && (suffix === '_sum' || suffix === '_count')) ||
    (type === 'histogram' && (suffix === '_bucket' || suffix === '_sum' || suffix === '_count')) ||
    (type === 'gaugehistogram' && (suffix === '_bucket' || suffix === '_gsum' || suffix === '_gcount'));
  const lookup = (name: string) => {
    const exact = byName.get(name);
    if (exact !== undefined) return exact;
    for (const suffix of ['_bucket', '_count', '_sum', '_gcount', '_gsum']) {
      if (name.length > suffix.length && name.endsWith(suffix)) {
        const b = byName.get(name.slice(0, name.length - suffix.length));
        return b !== undefined && accepts(b.family.type, suffix) ? b : undefined;
      }
    }
    return undefined;
  };
  const get = (name: string) => {
    let b = lookup(name);
    if (b === undefined) {
      b = { family: { name, type: 'unknown', samples: [] }, typeFixed: false };
      byName.set(name, b);
      order.push(b);
    }
    return b;
  };
  for (let t = p.next(); t !== undefined; t = p.next()) {
    const b = get(p.name);
    if (t === 'sample') {
      b.typeFixed = true;
      const f = b.family;
      const s: Sample = { name: p.name, labels: p.labels(), value: p.value };
      if (p.timestampMs !== undefined) s.timestampMs = p.timestampMs;
      const label =
        (f.type === 'histogram' || f.type === 'gaugehistogram') && p.name === f.name + '_bucket' ? 'le' : f.type === 'summary' && p.name === f.name ? 'quantile' : undefined;
      const v = label === undefined ? undefined : s.labels[label];
      if (v !== undefined && parseFloatText(v, 0, v.length) === undefined) {
        throw p.errorAtEntry(`expected float as value for '${label}' label, got "${v}"`, 'float', v);
      }
      f.samples.push(s);
    } else if (t === 'help') {
      if (b.family.help !== undefined) throw p.errorAtEntry(`second HELP line for metric name "${p.name}"`);
      b.family.help = p.text;
    } else if (t === 'type') {
      if (b.typeFixed) throw p.errorAtEntry(`second TYPE line for metric name "${p.name}", or TYPE reported after samples`);
      b.typeFixed = true;
      b.family.type = p.metricType;
    }
  }
  return order.filter((b) => b.family.samples.length > 0).map((b) => b.family);
}

function outcome(f: () => MetricFamily[]): unknown {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ExpositionError)) throw e;
    return { error: e.message, line: e.line, column: e.column, offset: e.offset, expected: e.expected, found: e.found };
  }
}

function agree(src: string | Uint8Array): void {
  expect(outcome(() => parseText(src))).toStrictEqual(outcome(() => oracle(src)));
}

/** Consecutive lines that share prefixes and differ just after them: the fast path's reuse cases. */
const TRICKY = [
  'a{x="1",y="2"} 1\na{x="1",y="2",z="3"} 1\na{x="1"} 2\na{x="1",x="2"} 3\n',
  'a{x="1",y="2"} 1\na{x="1",y="2"} 2 1700000000000\na{x="1",y="2"}  3\na{x="1",y="2"}\t4\n',
  'a{x="1",y="2"} 1\na{x="1",y="3"} 1\na{x="1",x="3"} 1\n',
  'a{x="1",y="2"} 1\na{x="1",y="2",} 1\na{x="1",y="2" } 1\na{ x="1",y="2"} 1\n',
  'a{x="1"} 1\na{x="1"}1\na{} 1\na{} 2\na 3\na 4\nab 5\na{x="1"} 6\n',
  'a{x="1",y="2"} 1\na{x="1",__name__="b"} 1\n',
  'a{x="1",y="2"} 1\na{x="1",__proto__="b"} 1\na{__proto__="c"} 1\n',
  'a{x="1",y="2"} 1\na{x="1",y="a\\"b"} 1\na{x="1",y="a\\nb"} 1\na{x="1",y="a\\qb"} 1\n',
  'a{x="1"} 1 -5\na{x="1"} 1 +5\na{x="1"} 1 9223372036854775807\na{x="1"} 1 9223372036854775808\na{x="1"} 1 1.5\n',
  'a 123456789012345\na 1234567890123456\na 12345678.9012345\na 1234567.890123456\na 0\na -0\na 0.\na 1.2.3\na 1..\na .\na 007 1\na 1.5\t2\na 2.5e\na 3x\n',
  'a{x="1"} 1 \na{x="1"} 1  2\na{x="1"} 1 2 \na{x="1"} 1 2 3\n',
  'a{x="1"} Inf\na{x="1"} -inf\na{x="1"} NaN\na{x="1"} +NaN\na{x="1"} 0x10\na{x="1"} 1_0\na{x="1"} 1e400\na{x="1"} .5\na{x="1"} 5.\n',
  'a{x="é"} 1\na{x="é😀"} 2\nb{x="1"} 1\r\n',
  'a{x="1"} 1\na{x="1"} 2',
  'a{x="1"} 1\na{x="1"',
  'a{x="1"} 1\n\n  a{x="1"} 2\n# comment\n# HELP a help\n# TYPE a gauge\na{x="1"} 3\n',
  '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="x"} 2\n',
  '# TYPE h histogram\nh_bucket{x="1",le="1"} 1\nh_bucket{x="1",le="+Inf"} 2\nh_bucket{x="1",le="1e"} 3\n',
  '# TYPE s summary\ns{quantile="0.5"} 1\ns{quantile="0.9"} 1\ns{quantile="high"} 1\n',
  'a{constructor="1",toString="2",hasOwnProperty="3"} 1\na{constructor="1",toString="2",valueOf="3"} 1\n',
  '{"a"} 1\n{"a",x="1"} 2\na{"x"="1"} 3\n',
  'a{x="1",y="2"} 1\na{x="1",y="2"} 1\na{x="1",y=2} 1\n',
  '# HELP a plain\n# HELP b one \\\\ two\n# HELP c plain\n# HELP d x\\ny\\"\n# HELP e bad \\q\nb 1\nc 1\na 1\nd 1\n',  // HELP/TYPE lines: the shapes the fast path takes, the ones it leaves, and the errors.
  '# HELP a x\n# HELP a y\na 1\n',
  '# TYPE a gauge\n# TYPE a counter\na 1\n',
  'a 1\n# TYPE a gauge\n',
  '# HELP a\n# HELP b \n# HELP c  two spaces\n# HELP d\ttab\n#HELP e x\n# HELP  f x\n# help g x\na 1\nb 1\nc 1\nd 1\ne 1\nf 1\ng 1\n',
  '# TYPE a Gauge\n# TYPE b gauge \n# TYPE c\n# TYPE d  counter\na 1\nb 1\nc 1\nd 1\n',
  '# TYPE a gauges\na 1\n',
  '# TYPE a untyped\n# TYPE b gaugehistogram\n# TYPE s summary\n# HELP s_count c\na 1\nb_bucket{le="1"} 1\nb_gsum 1\ns_count 1\ns_count 2\n',
  '# HELP a{x} y\n# TYPE "a.b" gauge\n# HELP "a.b" q\n{"a.b"} 1\n# HELP 0a x\n',
  '# HELP a one \\\\ two\n# HELP b plain\n# HELP c x\\\n',
  '# HELP a x\n# TYPE a gauge\n# HELP b x\n# TYPE a counter\n',
  '# HELP abcdef x\n# TYPE abcdefg gauge\nabcde 1\nabcdef{x="1"} 2\n# TYPE abcd gauge\nabcd_x 1\nabcd 2\n# HELP q x\nq',
  '# HELP a x\nab 1\n# HELP ab x\na 1\n# TYPE a gauge\n# TYPE ab counter\na{ab="1"} 2\nab\t3\n',
  '# TYPE h histogram\n# HELP h_bucket x\n# TYPE h_sum gauge\nh_bucket{le="1"} 1\nh_sum 1\n',
];

describe('parseText fast path agrees with the streaming parser', () => {
  it.each(TRICKY.map((s) => [s]))('%j', (src) => {
    agree(src);
    // As bytes too: ASCII and UTF-8 inputs are decoded differently.
    agree(Buffer.from(src));
    // Every prefix: truncation lands on each state of the scanner.
    for (let k = 0; k < src.length; k++) agree(src.slice(0, k));
  });

  it('on mutated runs of similar lines (seeded)', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = ' \t{}",=\\\n#_a0.e+-:xé';
    for (let round = 0; round < 400; round++) {
      const lines: string[] = [];
      for (let i = 0; i < 12; i++) {
        const host = `h${rnd(3)}`;
        const mode = ['idle', 'user', 'sys'][rnd(3)]!;
        const meta = rnd(6);
        if (meta === 0) lines.push(`# HELP m_${rnd(2)} help ${rnd(3)}`);
        else if (meta === 1) lines.push(`# TYPE m_${rnd(2)} ${['gauge', 'counter', 'summary'][rnd(3)]!}`);
        lines.push(rnd(4) === 0 ? `m_${rnd(2)} ${rnd(100)}` : `m_${rnd(2)}{cpu="${rnd(2)}",host="${host}",mode="${mode}"} ${rnd(1000) / 8}${rnd(3) === 0 ? ' 17' : ''}`);
      }
      const chars = [...(lines.join('\n') + '\n')];
      for (let m = rnd(3) + 1; m > 0; m--) {
        const at = rnd(chars.length);
        const op = rnd(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[rnd(alphabet.length)]!);
        else chars[at] = alphabet[rnd(alphabet.length)]!;
      }
      agree(chars.join(''));
    }
  });

  it('on input large enough to be decoded in chunks, with errors in later chunks', () => {
    const lines: string[] = [];
    for (let f = 0; f < 1500; f++) {
      lines.push(`# HELP fam_${f} Family number ${f}, with help text long enough to matter.`, `# TYPE fam_${f} ${f % 3 === 0 ? 'histogram' : 'gauge'}`);
      if (f % 3 === 0) {
        for (const le of ['0.1', '1', '+Inf']) lines.push(`fam_${f}_bucket{host="h${f % 7}",le="${le}"} ${f}`);
        lines.push(`fam_${f}_sum{host="h${f % 7}"} 1.5`, `fam_${f}_count{host="h${f % 7}"} ${f}`);
      } else {
        for (let c = 0; c < 3; c++) lines.push(`fam_${f}{host="h${c}",path="/x/${c}"} ${c * f} 1700000000000`);
      }
    }
    const good = lines.join('\n') + '\n';
    expect(good.length).toBeGreaterThan(300_000);
    agree(Buffer.from(good));
    expect(parseText(Buffer.from(good))).toStrictEqual(parseText(good));
    // Errors after the first chunk keep their line, column and byte offset in the whole input.
    for (const at of [0.1, 0.45, 0.5, 0.9, 0.999]) {
      const lf = good.indexOf('\n', Math.floor(good.length * at)) + 1;
      for (const bad of ['fam_1{host="h"} x\n', '# TYPE fam_1 gauge\n', '# HELP fam_2 again\n', 'fam_0_bucket{le="q"} 1\n', 'z{a="1"} 1']) {
        agree(Buffer.from(good.slice(0, lf) + bad + good.slice(lf)));
      }
    }
    // A line longer than a chunk, and input that ends without LF.
    agree(Buffer.from(good + `long{v="${'x'.repeat(200_000)}"} 1\n` + good));
    agree(Buffer.from(good + `# HELP long ${'y'.repeat(200_000)}\nlong 1\n`));
    agree(Buffer.from(good.slice(0, -1)));
  });

  it.skipIf(!existsSync(TEXTPARSE))('on every textparse payload, as bytes', () => {
    for (const file of ['alltypes.237mfs.prom.txt', 'alltypes.237mfs.nometa.prom.txt', 'alltypes.5mfs.prom.txt', 'promtestdata.txt']) {
      const path = resolve(TEXTPARSE, file);
      if (existsSync(path)) agree(readFileSync(path));
    }
  });
});
