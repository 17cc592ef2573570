import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from '../errors.js';
import { TextSampleParser } from './sample-parser.js';
import { TextSeriesScanner } from './series-scanner.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../../shared');
const ALLTYPES = resolve(SHARED, 'conformance/textparse/alltypes.237mfs.prom.txt');

type Event = Record<string, unknown>;

function errorEvent(e: unknown): Event {
  if (!(e instanceof ExpositionError)) throw e;
  return { error: e.message, line: e.line, column: e.column, offset: e.offset, expected: e.expected, found: e.found };
}

/** Every entry TextSampleParser reports for `input`, or its error as the last event. */
function reference(input: Uint8Array | string): Event[] {
  const out: Event[] = [];
  try {
    const p = new TextSampleParser(input);
    for (let k = p.next(); k !== undefined; k = p.next()) {
      if (k === 'sample') out.push({ k, series: p.series(), name: p.name, labels: p.labels(), value: p.value, ts: p.timestampMs });
      else out.push({ k, name: p.name, text: k === 'type' ? '' : p.text, type: k === 'type' ? p.metricType : '' });
    }
  } catch (e) {
    out.push(errorEvent(e));
  }
  return out;
}

/**
 * The scanner's entries, with `hints[i]` expected on the i-th sample line. On a hit the name and
 * labels are those the hinted line had (the scanner reads none), taken from `known`.
 */
function scanned(input: Uint8Array | string, hints: readonly string[], known: Map<string, Event>): { events: Event[]; hits: number } {
  const out: Event[] = [];
  let hits = 0;
  try {
    const s = new TextSeriesScanner(input);
    let i = 0;
    for (let k = s.next(hints[0]); k !== undefined; k = s.next(hints[i])) {
      if (k === 'sample') {
        i++;
        if (s.hit) {
          hits++;
          const prev = known.get(s.series())!;
          out.push({ k, series: s.series(), name: prev.name, labels: prev.labels, value: s.value, ts: s.timestampMs });
        } else out.push({ k, series: s.series(), name: s.name, labels: s.labels(), value: s.value, ts: s.timestampMs });
      } else out.push({ k, name: s.name, text: k === 'type' ? '' : s.text, type: k === 'type' ? s.metricType : '' });
    }
  } catch (e) {
    out.push(errorEvent(e));
  }
  return { events: out, hits };
}

function samplesOf(events: Event[]): Map<string, Event> {
  return new Map(events.filter((e) => e.k === 'sample').map((e) => [e.series as string, e]));
}

function hintsOf(events: Event[]): string[] {
  return events.filter((e) => e.k === 'sample').map((e) => e.series as string);
}

/** mulberry32, so the mutated corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [0x7b, 0x7d, 0x22, 0x5c, 0x23, 0x20, 0x0a, 0x09, 0x2c, 0x3d, 0x2e, 0x2d, 0x2b, 0x65, 0x30, 0x31, 0xc3, 0x80];

function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const b = Array.from(input);
  const ops = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < ops; k++) {
    const i = Math.floor(rand() * (b.length + 1));
    const op = Math.floor(rand() * 4);
    const byte = INTERESTING[Math.floor(rand() * INTERESTING.length)]!;
    if (op === 0) b[i] = byte;
    else if (op === 1) b.splice(i, 0, byte);
    else if (op === 2) b.splice(i, 1 + Math.floor(rand() * 4));
    else b.splice(i, 0, ...b.slice(i, i + 1 + Math.floor(rand() * 30)));
  }
  return Uint8Array.from(b);
}

const BASE = [
  '# HELP http_requests_total Requests "served".',
  '# TYPE http_requests_total counter',
  'http_requests_total{method="get",code="200"} 1027 1395066363000',
  'http_requests_total{method="post",code="200"}\t3',
  'http_requests_total {method="post",code="400"} 3',
  'plain 1.5',
  'plain_two   +Inf   12',
  '{"my.dotted.name","a.b"="c",d="e\\\\\\n\\""} -2e3',
  'lat_bucket{le="0.5"} 7',
  'lat_bucket{le="+Inf",} 9',
  'u{v="ü€𝄞"} 1',
  '',
  '# a comment',
  'last{x="y"} NaN',
  '',
].join('\n');

describe('TextSeriesScanner', () => {
  it('without hints reports exactly what TextSampleParser does', () => {
    const ref = reference(BASE);
    expect(ref.filter((e) => e.k === 'sample')).toHaveLength(10);
    expect(scanned(BASE, [], new Map()).events).toEqual(ref);
    expect(scanned(Buffer.from(BASE), [], new Map()).events).toEqual(ref);
  });

  it('with the previous scrape as hints reads only values and timestamps, same results', () => {
    const prev = reference(BASE);
    const next = BASE.replace(' 1027 ', ' 1030 ').replace('plain 1.5', 'plain 2.5').replace('NaN', '-Inf');
    const r = scanned(Buffer.from(next), hintsOf(prev), samplesOf(prev));
    expect(r.events).toEqual(reference(next));
    expect(r.hits).toBe(10);
  });

  it('is not fooled by a hint that is a prefix of the series text', () => {
    const src = 'foo_bar 1\nfoo {a="b"} 2\nfoo{a="b"}3\nfoo{a="b"} 4 5\n';
    const s = new TextSeriesScanner(src);
    expect(s.next('foo')).toBe('sample');
    expect([s.hit, s.series(), s.value]).toEqual([false, 'foo_bar', 1]);
    expect(s.next('foo')).toBe('sample');
    expect([s.hit, s.series(), s.labels(), s.value]).toEqual([false, 'foo {a="b"}', { a: 'b' }, 2]);
    expect(s.next('foo{a="b"}')).toBe('sample');
    expect([s.hit, s.value]).toEqual([true, 3]);
    expect(s.next('foo{a="b"}')).toBe('sample');
    expect([s.hit, s.value, s.timestampMs]).toEqual([true, 4, 5]);
    expect(s.next('foo')).toBeUndefined();
  });

  it('a hinted line with a bad value, timestamp or ending fails with the full parser error', () => {
    const bad = [
      'foo{a="b"} x1\n',
      'foo{a="b"} 1 1.5\n',
      'foo{a="b"} 1 2 3\n',
      'foo{a="b"} 1',
      'foo{a="b"} ',
      'ok 1\nfoo{a="b"}',
      'foo{a="b"}} 1\n',
      'ok 1\nfoo{a="b",a="c"} 1\n',
    ];
    for (const src of bad) {
      const ref = reference(src);
      expect(ref.at(-1)!.error, src).toBeDefined();
      expect(scanned(Buffer.from(src), ['foo{a="b"}', 'foo{a="b"}'], new Map()).events, src).toEqual(ref);
      expect(scanned(src, ['ok', 'foo{a="b"}'], new Map([['ok', { name: 'ok', labels: {} }]])).events, src).toEqual(ref);
    }
  });

  it('locates errors after multi-byte characters as the whole-input parser does', () => {
    const src = 'u{v="ü€𝄞"} 1\nw{v="𝄞x"} 1 zz\n';
    const ref = reference(Buffer.from(src));
    expect(ref.at(-1)).toMatchObject({ line: 2 });
    expect(scanned(Buffer.from(src), [], new Map()).events).toEqual(ref);
  });

  it('mutated inputs, hinted with the unmutated series, match TextSampleParser entry for entry', () => {
    const base = Buffer.from(BASE);
    const prev = reference(base);
    const hints = hintsOf(prev);
    const known = samplesOf(prev);
    const rand = rng(7);
    let hits = 0;
    let errors = 0;
    for (let k = 0; k < 3000; k++) {
      const input = mutate(base, rand);
      const ref = reference(input);
      const r = scanned(input, hints, known);
      expect(r.events, Buffer.from(input).toString()).toEqual(ref);
      hits += r.hits;
      if (ref.at(-1)?.error !== undefined) errors++;
    }
    expect(hits).toBeGreaterThan(10_000);
    expect(errors).toBeGreaterThan(500);
  });

  it.skipIf(!existsSync(ALLTYPES))('the 237-family conformance payload, cold and hinted, matches entry for entry', () => {
    const input = readFileSync(ALLTYPES);
    const ref = reference(input);
    expect(scanned(input, [], new Map()).events).toEqual(ref);
    const r = scanned(input, hintsOf(ref), samplesOf(ref));
    expect(r.events).toEqual(ref);
    expect(r.hits).toBe(hintsOf(ref).length);
  });
});
