// parseOpenMetrics: a strict OpenMetrics 1.0 parser. Any syntax or semantic error rejects the
// whole exposition ("Partial or invalid expositions MUST be considered erroneous in their entirety").
import type { ExpositionError } from '../errors.js';
import type { MetricFamily, Sample } from '../model.js';
import { parseFloatText } from '../numbers.js';
import { generatedNames, sampleSuffix } from './family-rules.js';
import { HistogramPoint } from './histogram-point.js';
import { OpenMetricsSampleParser } from './sample-parser.js';

interface Group {
  key: string;
  /** 0: no sample yet, 1: samples carry timestamps, 2: samples carry none. */
  tsMode: number;
  lastTs: number;
  point: HistogramPoint | undefined;
  pointTs: number | undefined;
}

interface FamilyState {
  family: MetricFamily;
  seen: { help: boolean; type: boolean; unit: boolean };
  groups: Set<string>;
  group: Group | undefined;
}

export interface OpenMetricsParseOptions {
  /**
   * true (default): every rule of the spec and its conformance suite. false: syntax only, as
   * Prometheus' scrape parser reads it (no value, histogram-structure, exemplar-placement,
   * ordering or name-clash checks), for real-world payloads that bend the semantic rules.
   */
  strict?: boolean;
}

/** Parses an OpenMetrics 1.0 exposition; throws ExpositionError (line:column) on any error. */
export function parseOpenMetrics(input: Uint8Array | string, options: OpenMetricsParseOptions = {}): MetricFamily[] {
  const strict = options.strict ?? true;
  const p = new OpenMetricsSampleParser(input);
  const families: MetricFamily[] = [];
  const reserved = new Set<string>();
  let cur: FamilyState | undefined;

  const open = (name: string): FamilyState => {
    if (strict && reserved.has(name)) throw p.errorAtEntry(`metric family "${name}" clashes with an earlier family or is not contiguous`);
    const f: MetricFamily = { name, type: 'unknown', samples: [] };
    families.push(f);
    return { family: f, seen: { help: false, type: false, unit: false }, groups: new Set(), group: undefined };
  };
  const close = (st: FamilyState): void => {
    if (!strict) return;
    endGroup(p, st);
    const f = st.family;
    if (f.unit !== undefined) {
      if (f.type === 'info' || f.type === 'stateset') throw p.errorAtEntry(`${f.type} metric "${f.name}" must not have a unit`);
      if (!f.name.endsWith('_' + f.unit)) throw p.errorAtEntry(`unit "${f.unit}" is not a suffix of metric name "${f.name}"`);
    }
    for (const n of [f.name, ...generatedNames(f.name, f.type)]) {
      if (reserved.has(n)) throw p.errorAtEntry(`metric family "${f.name}" clashes with an earlier family on "${n}"`);
    }
    for (const n of [f.name, ...generatedNames(f.name, f.type)]) reserved.add(n);
  };

  for (let t = p.next(); t !== undefined; t = p.next()) {
    if (t !== 'sample') {
      const kind = t as 'help' | 'type' | 'unit';
      const again = cur !== undefined && cur.family.name === p.name && (cur.family.samples.length > 0 || cur.seen[kind]);
      if (cur === undefined || cur.family.name !== p.name || (!strict && again)) {
        // Leniently, metadata repeated or after samples starts a new family, as a scraper reads it.
        if (cur !== undefined) close(cur);
        cur = open(p.name);
      } else if (cur.family.samples.length > 0) {
        throw p.errorAtEntry(`${t.toUpperCase()} for "${p.name}" after its samples`, 'metadata before samples');
      }
      if (cur.seen[kind]) throw p.errorAtEntry(`repeated ${t.toUpperCase()} for "${p.name}"`);
      cur.seen[kind] = true;
      if (t === 'type') cur.family.type = p.metricType;
      else if (t === 'help') {
        if (p.text !== '') cur.family.help = p.text;
      } else if (p.text !== '') cur.family.unit = p.text;
      continue;
    }
    let suffix = cur === undefined ? undefined : sampleSuffix(cur.family.name, cur.family.type, p.name);
    // Leniently, text-style names (a counter typed as "x_total" with samples "x_total") stay in their family.
    if (!strict && suffix === undefined && cur !== undefined && p.name === cur.family.name) suffix = '';
    if (cur === undefined || suffix === undefined) {
      if (cur !== undefined) close(cur);
      cur = open(p.name);
      suffix = '';
    }
    const s: Sample = { name: p.name, labels: p.labels(), value: p.value };
    if (p.timestampMs !== undefined) s.timestampMs = p.timestampMs;
    if (p.exemplar !== undefined) s.exemplar = p.exemplar;
    if (strict) checkSample(p, cur, s, suffix);
    cur.family.samples.push(s);
  }
  if (cur !== undefined) close(cur);
  return families;
}

function checkSample(p: OpenMetricsSampleParser, st: FamilyState, s: Sample, suffix: string): void {
  const f = st.family;
  const v = s.value;
  const err = (msg: string): ExpositionError => p.errorAtEntry(msg);
  const nonNegative = (what: string): void => {
    if (v !== v || v < 0) throw err(`${what} "${s.name}" must not be negative or NaN, got ${v}`);
  };
  if (s.exemplar !== undefined) {
    const ok = (f.type === 'counter' && suffix === '_total') || ((f.type === 'histogram' || f.type === 'gaugehistogram') && suffix === '_bucket');
    if (!ok) throw err(`exemplars are only allowed on counter _total and histogram _bucket samples, not on "${s.name}"`);
  }
  let groupLabel: string | undefined;
  switch (f.type) {
    case 'counter':
      if (suffix === '_total') nonNegative('counter');
      break;
    case 'info':
      if (v !== 1) throw err(`info metric value must be 1, got ${v}`);
      break;
    case 'stateset':
      if (v !== 0 && v !== 1) throw err(`stateset value must be 0 or 1, got ${v}`);
      if (!Object.hasOwn(s.labels, f.name)) throw err(`stateset sample needs a label named "${f.name}"`);
      break;
    case 'summary':
      if (suffix === '') {
        const q = s.labels.quantile;
        if (q === undefined) throw err('summary quantile sample needs a "quantile" label');
        const qv = parseFloatText(q, 0, q.length);
        if (qv === undefined || !(qv >= 0 && qv <= 1)) throw err(`quantile "${q}" must be a number in [0, 1]`);
        if (v < 0) throw err(`summary quantile value must not be negative, got ${v}`);
        groupLabel = 'quantile';
      } else if (suffix !== '_created') nonNegative('summary');
      break;
    case 'histogram':
    case 'gaugehistogram':
      if (suffix === '_bucket') {
        if (s.labels.le === undefined) throw err(`histogram bucket "${s.name}" needs an "le" label`);
        groupLabel = 'le';
      }
      if (suffix === '_gsum') {
        if (v !== v) throw err(`gauge histogram _gsum must not be NaN`);
      } else if (suffix !== '_created') nonNegative('histogram');
      break;
    default:
      break;
  }
  const key = groupKey(s.labels, groupLabel);
  let g = st.group;
  if (g === undefined || g.key !== key) {
    if (st.groups.has(key)) throw err(`metric ${s.name}${key} is not contiguous: its samples must not be interleaved with other metrics`);
    endGroup(p, st);
    st.groups.add(key);
    g = { key, tsMode: 0, lastTs: -Infinity, point: undefined, pointTs: undefined };
    st.group = g;
  }
  const ts = s.timestampMs;
  if (ts === undefined) {
    if (g.tsMode === 1) throw err('a metric must not mix samples with and without timestamps');
    g.tsMode = 2;
  } else {
    if (g.tsMode === 2) throw err('a metric must not mix samples with and without timestamps');
    if (ts < g.lastTs) throw err('timestamps of a metric must not go backwards');
    g.tsMode = 1;
    g.lastTs = ts;
  }
  if (f.type === 'histogram' || f.type === 'gaugehistogram') {
    if (g.point === undefined || g.pointTs !== ts) {
      g.point?.finish(err);
      g.point = new HistogramPoint(f.name, f.type === 'gaugehistogram');
      g.pointTs = ts;
    }
    g.point.add(suffix, s, err);
  }
}

function endGroup(p: OpenMetricsSampleParser, st: FamilyState): void {
  st.group?.point?.finish((m) => p.errorAtEntry(m));
  st.group = undefined;
}

function groupKey(labels: Record<string, string>, skip: string | undefined): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = '{';
  for (const n of names) if (n !== skip) key += n + '="' + labels[n] + '",';
  return key + '}';
}
