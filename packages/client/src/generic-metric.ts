// Metrics that are not this package's classes: anything with name/help/type and a get()
// returning prom-client's value objects (AggregatorRegistry results, hand-written collectors).
import { escapeHelp, escapeLabelValue, type MetricFamily, type Sample } from '@promethium/exposition';
import type { DefaultLabelsView } from './internal.js';
import type { MetricObjectWithValues, MetricValue } from './metric.js';
import { formatSampleValue } from './text-format.js';

export interface MetricLike {
  name: string;
  help?: string;
  type?: string;
  aggregator?: string;
  get(): MetricObjectWithValues | Promise<MetricObjectWithValues>;
  reset?(): void;
}

/** The text block of one metric, in prom-client's layout, ending with a newline. */
export function genericText(m: MetricObjectWithValues, defaults: DefaultLabelsView): string {
  let s = '# HELP ' + m.name + ' ' + escapeHelp(m.help ?? '') + '\n# TYPE ' + m.name + ' ' + m.type + '\n';
  for (const v of m.values ?? []) {
    const labels = mergedLabels(v, defaults);
    let pairs = '';
    for (const k in labels) {
      const val = labels[k];
      if (val === undefined) continue;
      pairs += (pairs === '' ? '' : ',') + k + '="' + escapeLabelValue(String(val)) + '"';
    }
    s += (v.metricName ?? m.name) + (pairs === '' ? '' : '{' + pairs + '}') + ' ' + formatSampleValue(v.value) + '\n';
  }
  return s;
}

function mergedLabels(v: MetricValue, defaults: DefaultLabelsView): Record<string, string | number | undefined> {
  const labels: Record<string, string | number | undefined> = { ...(v.labels ?? {}) };
  for (const n of defaults.names) if (labels[n] === undefined) labels[n] = defaults.values[n];
  return labels;
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'info', 'stateset', 'gaugehistogram', 'unknown']);

/** The exposition model for a prom-client-style value object. */
export function familyFromValues(m: MetricObjectWithValues, defaults: DefaultLabelsView): MetricFamily {
  const type = (TYPES.has(m.type) ? m.type : 'unknown') as MetricFamily['type'];
  const isCounter = type === 'counter';
  const name = isCounter && m.name.endsWith('_total') ? m.name.slice(0, -6) : m.name;
  const samples: Sample[] = [];
  for (const v of m.values ?? []) {
    const labels: Record<string, string> = {};
    const merged = mergedLabels(v, defaults);
    for (const k in merged) if (merged[k] !== undefined) labels[k] = String(merged[k]);
    let sampleName = v.metricName ?? m.name;
    if (isCounter && sampleName === m.name) sampleName = name + '_total';
    samples.push({ name: sampleName, labels, value: v.value });
  }
  const fam: MetricFamily = { name, type, samples };
  if (m.help) fam.help = m.help;
  return fam;
}
