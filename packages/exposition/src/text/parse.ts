// parseText: text format 0.0.4 into metric families, grouping samples the way expfmt does.
import { isAscii } from 'node:buffer';
import { CH_LF } from '../chars.js';
import { ExpositionError } from '../errors.js';
import { errorAt } from '../input.js';
import type { MetricFamily, MetricType, Sample } from '../model.js';
import { parseFloatText } from '../numbers.js';
import { LineScanner, asciiBytes } from './line-scanner.js';
import { TextSampleParser } from './sample-parser.js';

interface Builder {
  family: MetricFamily;
  /** A TYPE line was seen (or samples already fixed the type as untyped). */
  typeFixed: boolean;
}

/**
 * Parses a text 0.0.4 exposition. Families appear in order of first mention; 'untyped' becomes
 * 'unknown'; samples keep their full names (`x_bucket`, `x_sum`, `x_total` as written); a family
 * that got HELP/TYPE but no samples is dropped, as expfmt does. Throws ExpositionError.
 */
export function parseText(input: Uint8Array | string): MetricFamily[] {
  if (typeof input !== 'string' && input.length > CHUNK && isAscii(input)) return parseAsciiChunks(input);
  const p = new TextSampleParser(input);
  const src = p.src;
  // Non-ASCII input (rare) is left to the streaming parser entirely.
  const bytes = asciiBytes(src, input);
  const fast = bytes === undefined ? undefined : new LineScanner(bytes);
  fast?.chunk(src, 0);
  const a = new Assembler(p, 0);
  parseChunk(a, p, fast, 0);
  return a.families();
}

/**
 * Longest chunk decoded into one string. V8 puts longer strings into its large-object space,
 * whose allocation costs about 20x more per byte (measured with Node 20: latin1-decoding 131,000
 * bytes takes 10 µs, 131,100 bytes 120 µs), so large ASCII input is decoded in chunks of whole lines.
 */
const CHUNK = 120_000;

function parseAsciiChunks(input: Uint8Array): MetricFamily[] {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const fast = new LineScanner(input);
  let a: Assembler | undefined;
  const n = input.length;
  for (let base = 0; base < n; ) {
    let end = base + CHUNK >= n ? n : input.lastIndexOf(CH_LF, base + CHUNK - 1) + 1;
    if (end <= base) {
      // A line longer than a chunk: take it whole.
      const lf = input.indexOf(CH_LF, base + CHUNK);
      end = lf === -1 ? n : lf + 1;
    }
    const src = buf.toString('latin1', base, end);
    const p = new TextSampleParser(src);
    fast.chunk(src, base);
    if (a === undefined) a = new Assembler(p, base);
    else a.chunk(p, base);
    try {
      parseChunk(a, p, fast, base);
    } catch (e) {
      throw e instanceof ExpositionError ? rebase(e, input, base) : e;
    }
    base = end;
  }
  return a?.families() ?? [];
}

/**
 * Parses the entries of p.src, which starts at position `base` of the input (the positions
 * `fast` works with). Common sample lines take the LineScanner; anything else (metadata,
 * comments, blank lines, escapes, odd spacing, errors) is handed to the streaming parser, which
 * knows the whole grammar.
 */
function parseChunk(a: Assembler, p: TextSampleParser, fast: LineScanner | undefined, base: number): void {
  const n = base + p.src.length;
  let pos = base;
  while (pos < n) {
    if (fast !== undefined) {
      let next = fast.line(pos);
      if (next >= 0) {
        a.sample(fast.sample, pos);
        pos = next;
        continue;
      }
      next = fast.meta(pos);
      // A repeated HELP or a late TYPE goes to the streaming parser, which reports it.
      if (next >= 0 && (fast.isHelp ? a.setHelp(fast.metaName, fast.text) : a.setType(fast.metaName, fast.metricType))) {
        pos = next;
        continue;
      }
    }
    p.seek(pos - base);
    const t = p.next();
    if (t === undefined) break;
    if (t === 'sample') {
      const s: Sample = { name: p.name, labels: p.labels(), value: p.value };
      if (p.timestampMs !== undefined) s.timestampMs = p.timestampMs;
      a.sample(s, -1);
    }
    else if (t === 'help') a.help();
    else if (t === 'type') a.type();
    pos = p.offset + base;
  }
}

/** An error found in a chunk starting at input position `base`, located in the whole input (chunks start at line starts). */
function rebase(e: ExpositionError, input: Uint8Array, base: number): ExpositionError {
  let lines = 0;
  for (let i = input.indexOf(CH_LF); i !== -1 && i < base; i = input.indexOf(CH_LF, i + 1)) lines++;
  return e.movedTo({ line: e.line === undefined ? undefined : e.line + lines, column: e.column, offset: e.offset + base });
}

/** Groups samples into families the way expfmt does. */
class Assembler {
  private readonly byName = new Map<string, Builder>();
  private readonly order: Builder[] = [];
  private readonly resolved = new Map<string, Builder>();
  private lastName = '';
  private last: Builder | undefined = undefined;

  /** p parses the chunk of the input that starts at position `base`. */
  constructor(
    private p: TextSampleParser,
    private base: number,
  ) {}

  /** Continues with the next chunk. */
  chunk(p: TextSampleParser, base: number): void {
    this.p = p;
    this.base = base;
  }

  /** Adds a sample; `at` is its line's position in the input, or -1 when it is the streaming parser's current entry. */
  sample(s: Sample, at: number): void {
    const name = s.name;
    // Consecutive samples mostly share a name (interned, so mostly the same string): skip the lookups.
    let b = this.last;
    if (name !== this.lastName || b === undefined) {
      // A sample name, once resolved, keeps its family: a family named like it cannot appear later
      // (lookups would find the one it resolved to), and a family's type is fixed before it accepts suffixes.
      // A family of that exact name keeps it too; only suffix resolutions need the second map.
      b = this.byName.get(name) ?? this.resolved.get(name);
      if (b === undefined) {
        b = this.lookup(name) ?? this.create(name);
        if (b.family.name !== name) this.resolved.set(name, b);
      }
    }
    this.lastName = name;
    this.last = b;
    b.typeFixed = true;
    const f = b.family;
    const type = f.type;
    if (type === 'histogram' || type === 'gaugehistogram') {
      if (name.length === f.name.length + 7 && name.endsWith('_bucket')) this.checkFloatLabel(s.labels, 'le', at);
    } else if (type === 'summary' && name === f.name) {
      this.checkFloatLabel(s.labels, 'quantile', at);
    }
    f.samples.push(s);
  }

  help(): void {
    const p = this.p;
    if (!this.setHelp(p.name, p.text)) throw p.errorAtEntry(`second HELP line for metric name "${p.name}"`);
  }

  type(): void {
    const p = this.p;
    if (!this.setType(p.name, p.metricType)) {
      throw p.errorAtEntry(`second TYPE line for metric name "${p.name}", or TYPE reported after samples`);
    }
  }

  /** Sets a family's HELP text; false (and nothing set) when it has one already. */
  setHelp(name: string, text: string): boolean {
    const b = this.metadataFamily(name);
    if (b.family.help !== undefined) return false;
    b.family.help = text;
    return true;
  }

  /** Sets a family's type; false (and nothing set) when its type is fixed already. */
  setType(name: string, type: MetricType): boolean {
    const b = this.metadataFamily(name);
    if (b.typeFixed) return false;
    b.typeFixed = true;
    b.family.type = type;
    return true;
  }

  private lastMetaName = '';
  private lastMeta: Builder | undefined = undefined;

  /** The family a HELP/TYPE line is about (created when new); HELP and TYPE mostly come in pairs. */
  private metadataFamily(name: string): Builder {
    this.last = undefined;
    let b = this.lastMeta;
    if (b === undefined || name !== this.lastMetaName) {
      b = this.lookup(name) ?? this.create(name);
      this.lastMetaName = name;
      this.lastMeta = b;
    }
    return b;
  }

  families(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const b of this.order) if (b.family.samples.length > 0) out.push(b.family);
    return out;
  }

  private lookup(name: string): Builder | undefined {
    const exact = this.byName.get(name);
    if (exact !== undefined) return exact;
    // expfmt attaches x_sum/x_count/x_bucket lines to a summary or histogram family named x.
    const base = baseName(name);
    if (base === undefined) return undefined;
    const b = this.byName.get(base.name);
    if (b !== undefined && acceptsSuffix(b.family.type, base.suffix)) return b;
    return undefined;
  }

  private create(name: string): Builder {
    const b: Builder = { family: { name, type: 'unknown', samples: [] }, typeFixed: false };
    this.byName.set(name, b);
    this.order.push(b);
    return b;
  }

  private checkFloatLabel(labels: Record<string, string>, label: string, at: number): void {
    const v = labels[label];
    if (v !== undefined && parseFloatText(v, 0, v.length) === undefined) {
      const message = `expected float as value for '${label}' label, got "${v}"`;
      throw at < 0 ? this.p.errorAtEntry(message, 'float', v) : errorAt(this.p.src, at - this.base, 'text', message, 'float', v);
    }
  }
}

const SUFFIXES = ['_bucket', '_count', '_sum', '_gcount', '_gsum'] as const;
type Suffix = (typeof SUFFIXES)[number];

function baseName(name: string): { name: string; suffix: Suffix } | undefined {
  for (const suffix of SUFFIXES) {
    if (name.length > suffix.length && name.endsWith(suffix)) {
      return { name: name.slice(0, name.length - suffix.length), suffix };
    }
  }
  return undefined;
}

function acceptsSuffix(type: MetricType, suffix: Suffix): boolean {
  switch (type) {
    case 'summary':
      return suffix === '_sum' || suffix === '_count';
    case 'histogram':
      return suffix === '_bucket' || suffix === '_sum' || suffix === '_count';
    case 'gaugehistogram':
      return suffix === '_bucket' || suffix === '_gsum' || suffix === '_gcount';
    default:
      return false;
  }
}
