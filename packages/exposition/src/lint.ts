// Metric-family linting with promtool's rules (client_golang promlint) and its exact wording,
// so `pmtool check metrics` output can be diffed against `promtool check metrics`.
import type { MetricFamily } from './model.js';

export interface LintProblem {
  /** The family name as the Go model names it (counters with their _total). */
  metric: string;
  text: string;
}

const UNITS = new Map<string, string>([
  ['amperes', 'amperes'],
  ['bytes', 'bytes'],
  ['celsius', 'celsius'],
  ['grams', 'grams'],
  ['joules', 'joules'],
  ['kelvin', 'kelvin'],
  ['meters', 'meters'],
  ['metres', 'metres'],
  ['seconds', 'seconds'],
  ['volts', 'volts'],
  ['minutes', 'seconds'],
  ['hours', 'seconds'],
  ['days', 'seconds'],
  ['weeks', 'seconds'],
  ['kelvins', 'kelvin'],
  ['fahrenheit', 'celsius'],
  ['rankine', 'celsius'],
  ['inches', 'meters'],
  ['yards', 'meters'],
  ['miles', 'meters'],
  ['bits', 'bytes'],
  ['calories', 'joules'],
  ['pounds', 'grams'],
  ['ounces', 'grams'],
]);
const PREFIXES = ['pico', 'nano', 'micro', 'milli', 'centi', 'deci', 'deca', 'hecto', 'kilo', 'kibi', 'mega', 'mibi', 'giga', 'gibi', 'tera', 'tebi', 'peta', 'pebi'];
const ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];
const TYPE_NAMES = ['counter', 'gauge', 'summary', 'histogram', 'gauge_histogram'];

/** Lints families; problems are sorted by metric name, then text, as promlint sorts them. */
export function lint(families: readonly MetricFamily[]): LintProblem[] {
  const out: LintProblem[] = [];
  for (const f of families) lintFamily(f, out);
  out.sort((a, b) => (a.metric === b.metric ? cmp(a.text, b.text) : cmp(a.metric, b.metric)));
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The name the Go data model gives a family: an OpenMetrics counter "x" is "x_total" there. */
function goName(f: MetricFamily): string {
  if (f.type === 'counter' && !f.name.endsWith('_total') && f.samples.some((s) => s.name === f.name + '_total')) return f.name + '_total';
  return f.name;
}

function lintFamily(f: MetricFamily, out: LintProblem[]): void {
  const name = goName(f);
  const add = (text: string) => out.push({ metric: name, text });
  const lower = name.toLowerCase();
  const isHistogram = f.type === 'histogram' || f.type === 'gaugehistogram';
  const isSummary = f.type === 'summary';
  const untyped = f.type === 'unknown';

  if (f.help === undefined) add('no help text');
  const unit = metricUnit(name);
  if (unit !== undefined && unit[0] !== unit[1]) add(`use base unit "${unit[1]}" instead of "${unit[0]}"`);
  const total = name.endsWith('_total');
  if (f.type === 'counter' && !total) add('counter metrics should have "_total" suffix');
  else if (!untyped && f.type !== 'counter' && total) add('non-counter metrics should not have "_total" suffix');

  // Label names per metric (a series group), without the le/quantile the Go model keeps apart.
  const metricLabels: string[][] = [];
  const seen = new Set<string>();
  for (const s of f.samples) {
    const skip = isHistogram && s.name.endsWith('_bucket') ? 'le' : isSummary && s.name === f.name ? 'quantile' : undefined;
    const names = Object.keys(s.labels).filter((n) => n !== skip);
    const key = names
      .map((n) => n + '\u0000' + s.labels[n])
      .sort()
      .join('\u0001');
    if (seen.has(key)) continue;
    seen.add(key);
    metricLabels.push(names);
  }
  if (!untyped) {
    if (!isHistogram && name.endsWith('_bucket')) add('non-histogram metrics should not have "_bucket" suffix');
    if (!isHistogram && !isSummary && name.endsWith('_count')) add('non-histogram and non-summary metrics should not have "_count" suffix');
    if (!isHistogram && !isSummary && name.endsWith('_sum')) add('non-histogram and non-summary metrics should not have "_sum" suffix');
    for (const names of metricLabels) {
      for (const ln of names) {
        if (!isHistogram && ln === 'le') add('non-histogram metrics should not have "le" label');
        if (!isSummary && ln === 'quantile') add('non-summary metrics should not have "quantile" label');
      }
    }
  }
  for (const t of TYPE_NAMES) {
    if (lower.includes('_' + t + '_') || lower.endsWith('_' + t)) add(`metric name should not include type '${t}'`);
  }
  if (name.includes(':')) add("metric names should not contain ':'");
  if (camelCase(name)) add("metric names should be written in 'snake_case' not 'camelCase'");
  for (const names of metricLabels) {
    for (const ln of names) if (camelCase(ln)) add("label names should be written in 'snake_case' not 'camelCase'");
  }
  for (const a of ABBREVIATIONS) {
    if (lower.includes('_' + a + '_') || lower.endsWith('_' + a)) add('metric names should not contain abbreviated units');
  }
}

/** A lower-case letter followed by an upper-case one, promlint's `[a-z][A-Z]`. */
function camelCase(s: string): boolean {
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i);
    if (a >= 97 && a <= 122 && b >= 65 && b <= 90) return true;
  }
  return false;
}

/** The first `_`-separated word that is a known unit (optionally SI/IEC-prefixed): [unit, base]. */
function metricUnit(name: string): [string, string] | undefined {
  for (const w of name.split('_')) {
    const base = UNITS.get(w);
    if (base !== undefined) return [w, base];
    for (const p of PREFIXES) {
      if (w.startsWith(p)) {
        const b = UNITS.get(w.slice(p.length));
        if (b !== undefined) return [w, b];
      }
    }
  }
  return undefined;
}
