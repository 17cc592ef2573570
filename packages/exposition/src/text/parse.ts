// parseText: text format 0.0.4 into metric families, grouping samples the way expfmt does.
import type { MetricFamily, MetricType, Sample } from '../model.js';
import { parseFloatText } from '../numbers.js';
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
  const byName = new Map<string, Builder>();
  const order: Builder[] = [];

  const lookup = (name: string): Builder | undefined => {
    const exact = byName.get(name);
    if (exact !== undefined) return exact;
    // expfmt attaches x_sum/x_count/x_bucket lines to a summary or histogram family named x.
    const base = baseName(name);
    if (base === undefined) return undefined;
    const b = byName.get(base.name);
    if (b !== undefined && acceptsSuffix(b.family.type, base.suffix)) return b;
    return undefined;
  };
  const create = (name: string): Builder => {
    const b: Builder = { family: { name, type: 'unknown', samples: [] }, typeFixed: false };
    byName.set(name, b);
    order.push(b);
    return b;
  };

  let lastName = '';
  let last: Builder | undefined;
  for (let t = p.next(); t !== undefined; t = p.next()) {
    if (t === 'sample') {
      // Consecutive samples mostly share a name (the parser even reuses the string): skip the lookups.
      const b = p.name === lastName && last !== undefined ? last : (lookup(p.name) ?? create(p.name));
      lastName = p.name;
      last = b;
      b.typeFixed = true;
      const f = b.family;
      const s: Sample = { name: p.name, labels: p.labels(), value: p.value };
      if (p.timestampMs !== undefined) s.timestampMs = p.timestampMs;
      if (f.type === 'histogram' || f.type === 'gaugehistogram') {
        if (p.name.length === f.name.length + 7 && p.name.endsWith('_bucket')) checkFloatLabel(p, s, 'le');
      } else if (f.type === 'summary' && p.name === f.name) {
        checkFloatLabel(p, s, 'quantile');
      }
      f.samples.push(s);
    } else if (t === 'help') {
      last = undefined;
      const b = lookup(p.name) ?? create(p.name);
      if (b.family.help !== undefined) throw p.errorAtEntry(`second HELP line for metric name "${p.name}"`);
      b.family.help = p.text;
    } else if (t === 'type') {
      last = undefined;
      const b = lookup(p.name) ?? create(p.name);
      if (b.typeFixed) {
        throw p.errorAtEntry(`second TYPE line for metric name "${p.name}", or TYPE reported after samples`);
      }
      b.typeFixed = true;
      b.family.type = p.metricType;
    }
  }
  const out: MetricFamily[] = [];
  for (const b of order) if (b.family.samples.length > 0) out.push(b.family);
  return out;
}

function checkFloatLabel(p: TextSampleParser, s: Sample, label: string): void {
  const v = s.labels[label];
  if (v !== undefined && parseFloatText(v, 0, v.length) === undefined) {
    throw p.errorAtEntry(`expected float as value for '${label}' label, got "${v}"`, 'float', v);
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
