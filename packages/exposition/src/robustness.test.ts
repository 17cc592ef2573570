// Robustness: every valid fixture truncated at every byte offset, and a seeded corpus of mutated
// inputs, must give either a parse result or an ExpositionError: never another exception, never
// a hang (every parser loop advances or throws; the test timeout catches a regression).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ExpositionError,
  OpenMetricsSampleParser,
  TextSampleParser,
  decodeProtobuf,
  encodeProtobuf,
  parseOpenMetrics,
  parseText,
} from './index.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../shared');
const TEXTPARSE = resolve(SHARED, 'conformance/textparse');
const SUITE = resolve(SHARED, 'conformance/openmetrics/testdata/parsers');
const HAVE = existsSync(TEXTPARSE) && existsSync(SUITE);

interface Tally {
  parsed: number;
  rejected: number;
}

function attempt(t: Tally, fn: () => unknown): void {
  try {
    fn();
    t.parsed++;
  } catch (e) {
    if (!(e instanceof ExpositionError)) throw new Error(`non-ExpositionError ${String(e)}`, { cause: e });
    t.rejected++;
  }
}

function drain(p: { next(): unknown }): void {
  while (p.next() !== undefined);
}

const textParsers = [(b: Uint8Array) => parseText(b), (b: Uint8Array) => drain(new TextSampleParser(b))];
// The lenient mode runs the same code as the strict one minus checks; the stream covers syntax.
const omParsers = [(b: Uint8Array) => parseOpenMetrics(b), (b: Uint8Array) => drain(new OpenMetricsSampleParser(b))];

/**
 * Splits a text exposition into blocks of whole lines (a new block at each "# HELP", and at most
 * ~1 KB each), so truncating every block at every offset covers every line shape in linear time.
 */
function blocks(src: Buffer): Buffer[] {
  const lines = src.toString().split('\n');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < lines.length - 1; i++) {
    const l = lines[i]!;
    if ((l.startsWith('# HELP') || cur.length > 1024) && cur !== '') {
      out.push(cur);
      cur = '';
    }
    cur += l + '\n';
  }
  if (cur !== '') out.push(cur);
  return out.map((s) => Buffer.from(s));
}

/**
 * Truncating all 190 KB at every offset is quadratic work; these blocks (the first two families of
 * each type, and the first 2 KB without metadata) hold every line shape the payload has.
 */
function textSample(): Buffer[] {
  const all = blocks(readFileSync(resolve(TEXTPARSE, 'alltypes.237mfs.prom.txt')));
  const out: Buffer[] = [];
  for (const type of ['counter', 'gauge', 'histogram', 'summary']) {
    out.push(...all.filter((b) => b.toString().split('\n', 2)[1]?.endsWith(' ' + type)).slice(0, 2));
  }
  out.push(readFileSync(resolve(TEXTPARSE, 'alltypes.237mfs.nometa.prom.txt')).subarray(0, 2048));
  return out;
}

function omFixtures(): Buffer[] {
  const good = readdirSync(SUITE)
    .filter((c) => !c.startsWith('bad_'))
    .map((c) => readFileSync(resolve(SUITE, c, 'metrics')));
  return [...good, readFileSync(resolve(TEXTPARSE, '1histogram.om.txt')), readFileSync(resolve(TEXTPARSE, 'alltypes.5mfs.om.txt'))];
}

/** mulberry32: a tiny seeded PRNG so the mutated corpus is the same on every run. */
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

const INTERESTING = [0x7b, 0x7d, 0x22, 0x5c, 0x23, 0x20, 0x0a, 0x09, 0x2c, 0x3d, 0x2e, 0x2d, 0x2b, 0x65, 0x00, 0xff, 0xc3, 0x80, 0x0d];

function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  let b = Array.from(input);
  const ops = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < ops; k++) {
    const i = Math.floor(rand() * (b.length + 1));
    const op = Math.floor(rand() * 6);
    const byte = rand() < 0.7 ? INTERESTING[Math.floor(rand() * INTERESTING.length)]! : Math.floor(rand() * 256);
    if (op === 0) b[i] = byte;
    else if (op === 1) b.splice(i, 0, byte);
    else if (op === 2) b.splice(i, 1 + Math.floor(rand() * 8));
    else if (op === 3) b.splice(i, 0, ...b.slice(i, i + 1 + Math.floor(rand() * 40)));
    else if (op === 4) b[i] = (b[i] ?? 0) ^ (1 << Math.floor(rand() * 8));
    else b = b.slice(0, i);
  }
  return Uint8Array.from(b);
}

describe.skipIf(!HAVE)('robustness', () => {
  it('text: blocks of every metric type (with and without metadata) truncated at every byte offset', () => {
    const t: Tally = { parsed: 0, rejected: 0 };
    for (const block of textSample()) {
      for (let n = 0; n <= block.length; n++) for (const parse of textParsers) attempt(t, () => parse(block.subarray(0, n)));
    }
    expect(t.parsed).toBeGreaterThan(150);
    expect(t.rejected).toBeGreaterThan(10_000);
  });

  it('OpenMetrics: every valid fixture truncated at every byte offset', () => {
    const t: Tally = { parsed: 0, rejected: 0 };
    for (const f of omFixtures()) {
      for (let n = 0; n <= f.length; n++) for (const parse of omParsers) attempt(t, () => parse(f.subarray(0, n)));
    }
    // Only the full input (and "# EOF" without its optional LF) parses.
    expect(t.parsed).toBeGreaterThan(0);
    expect(t.rejected).toBeGreaterThan(10_000);
  });

  it('protobuf: every encoded family truncated at every byte offset', () => {
    const t: Tally = { parsed: 0, rejected: 0 };
    const fams = parseText(readFileSync(resolve(TEXTPARSE, 'alltypes.237mfs.prom.txt')));
    const shapes = ['counter', 'gauge', 'histogram', 'summary'].flatMap((ty) => fams.filter((f) => f.type === ty).slice(0, 3));
    for (const f of shapes) {
      const bin = encodeProtobuf([f]);
      for (let n = 0; n <= bin.length; n++) attempt(t, () => decodeProtobuf(bin.subarray(0, n)));
    }
    expect(t.parsed).toBeGreaterThanOrEqual(2 * shapes.length);
    expect(t.rejected).toBeGreaterThan(2_000);
  });

  it('a seeded corpus of mutated inputs in every format', () => {
    const rand = rng(0x5eed);
    const t: Tally = { parsed: 0, rejected: 0 };
    const text = blocks(readFileSync(resolve(TEXTPARSE, 'alltypes.237mfs.prom.txt')));
    const om = omFixtures();
    const pb = parseText(readFileSync(resolve(TEXTPARSE, 'alltypes.237mfs.prom.txt'))).map((f) => encodeProtobuf([f]));
    for (let i = 0; i < 1500; i++) {
      const tb = mutate(text[Math.floor(rand() * text.length)]!, rand);
      for (const parse of textParsers) attempt(t, () => parse(tb));
      const ob = mutate(om[Math.floor(rand() * om.length)]!, rand);
      for (const parse of omParsers) attempt(t, () => parse(ob));
      const bb = mutate(pb[Math.floor(rand() * pb.length)]!, rand);
      attempt(t, () => decodeProtobuf(bb));
    }
    expect(t.parsed).toBeGreaterThan(250);
    expect(t.rejected).toBeGreaterThan(2500);
  });
});
