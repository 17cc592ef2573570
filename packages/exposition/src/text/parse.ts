// parseText: text format 0.0.4 into metric families, grouping samples the way expfmt does.
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
  const p = new TextSampleParser(input);
  const src = p.src;
  const n = src.length;
  // Common sample lines take the LineScanner; anything else (metadata, comments, blank lines,
  // escapes, odd spacing, errors) is handed to the streaming parser, which knows the whole grammar.
  // Non-ASCII input (rare) is left to the streaming parser entirely.
  const bytes = asciiBytes(src, input);
  const fast = bytes === undefined ? undefined : new LineScanner(src, bytes);
  const a = new Assembler(p);
  let pos = 0;
  while (pos < n) {
    const next = fast === undefined ? -1 : fast.line(pos);
    if (next >= 0 && fast !== undefined) {
      a.sample(fast.sample, pos);
      pos = next;
      continue;
    }
    p.seek(pos);
    const t = p.next();
    if (t === undefined) break;
    if (t === 'sample') {
      const s: Sample = { name: p.name, labels: p.labels(), value: p.value };
      if (p.timestampMs !== undefined) s.timestampMs = p.timestampMs;
      a.sample(s, -1);
    }
    else if (t === 'help') a.help();
    else if (t === 'type') a.type();
    pos = p.offset;
  }
  return a.families();
}

/** Groups samples into families the way expfmt does. */
class Assembler {
  private readonly byName = new Map<string, Builder>();
  private readonly order: Builder[] = [];
  private readonly resolved = new Map<string, Builder>();
  private lastName = '';
  private last: Builder | undefined = undefined;

  constructor(private readonly p: TextSampleParser) {}

  /** Adds a sample; `at` is its line's position, or -1 when it is the streaming parser's current entry. */
  sample(s: Sample, at: number): void {
    const name = s.name;
    // Consecutive samples mostly share a name (interned, so mostly the same string): skip the lookups.
    let b = this.last;
    if (name !== this.lastName || b === undefined) {
      // A sample name, once resolved, keeps its family: a family named like it cannot appear later
      // (lookups would find the one it resolved to), and a family's type is fixed before it accepts suffixes.
      b = this.resolved.get(name);
      if (b === undefined) {
        b = this.lookup(name) ?? this.create(name);
        this.resolved.set(name, b);
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
    this.last = undefined;
    const b = this.lookup(p.name) ?? this.create(p.name);
    if (b.family.help !== undefined) throw p.errorAtEntry(`second HELP line for metric name "${p.name}"`);
    b.family.help = p.text;
  }

  type(): void {
    const p = this.p;
    this.last = undefined;
    const b = this.lookup(p.name) ?? this.create(p.name);
    if (b.typeFixed) throw p.errorAtEntry(`second TYPE line for metric name "${p.name}", or TYPE reported after samples`);
    b.typeFixed = true;
    b.family.type = p.metricType;
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
      throw at < 0 ? this.p.errorAtEntry(message, 'float', v) : errorAt(this.p.src, at, 'text', message, 'float', v);
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
