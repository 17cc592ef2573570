// serializeOpenMetrics: metric families to OpenMetrics 1.0 text, as client_golang writes it.
import { escapeLabelValue } from '../escape.js';
import { formatOpenMetricsValue, formatValue } from '../format-value.js';
import type { MetricFamily, Sample } from '../model.js';
import { validMetricName } from '../names.js';
import { writeLabelSet, writeSeries } from '../sample-line.js';

/**
 * Writes families as OpenMetrics 1.0, ending with `# EOF`. Families parsed from text 0.0.4 are
 * mapped: a counter "x_total" becomes family "x" with samples "x_total" (a bare counter sample "x"
 * is written "x_total"), untyped is written unknown. Timestamps are written in seconds.
 * Native-histogram samples have no OpenMetrics 1.0 form and are left out.
 */
export function serializeOpenMetrics(families: readonly MetricFamily[]): string {
  let out = '';
  for (const f of families) out += familyOpenMetrics(f);
  return out + '# EOF\n';
}

function familyOpenMetrics(f: MetricFamily): string {
  let name = f.name;
  if (f.type === 'counter' && name.endsWith('_total')) name = name.slice(0, -6);
  const n = validMetricName(name) ? name : '"' + escapeLabelValue(name) + '"';
  let out = '';
  if (f.help !== undefined) out += '# HELP ' + n + ' ' + escapeLabelValue(f.help) + '\n';
  out += '# TYPE ' + n + ' ' + f.type + '\n';
  if (f.unit !== undefined && f.unit !== '') out += '# UNIT ' + n + ' ' + f.unit + '\n';
  const integerCounts = f.type === 'histogram' || f.type === 'gaugehistogram' || f.type === 'summary';
  for (const s of f.samples) {
    if (s.histogram !== undefined) continue;
    let sname = s.name;
    if (f.type === 'counter' && (sname === name || sname === f.name) && !sname.endsWith('_total')) sname = name + '_total';
    out += writeSeries(sname, s.labels) + ' ';
    out += integerCounts && isCount(sname, name) && Number.isInteger(s.value) ? String(s.value) : formatOpenMetricsValue(s.value);
    if (s.timestampMs !== undefined) out += ' ' + formatValue(s.timestampMs / 1000);
    if (s.exemplar !== undefined) out += exemplarText(s);
    out += '\n';
  }
  return out;
}

function isCount(sample: string, family: string): boolean {
  const suffix = sample.slice(family.length);
  return suffix === '_bucket' || suffix === '_count' || suffix === '_gcount';
}

function exemplarText(s: Sample): string {
  const e = s.exemplar!;
  let out = ' # ' + writeLabelSet(e.labels) + ' ' + formatOpenMetricsValue(e.value);
  if (e.timestamp !== undefined) out += ' ' + formatValue(e.timestamp);
  return out;
}
