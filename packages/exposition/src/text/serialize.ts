// serializeText: metric families to text format 0.0.4, as client_golang writes it.
import { escapeHelp } from '../escape.js';
import { formatValue } from '../format-value.js';
import type { MetricFamily, MetricType, Sample } from '../model.js';
import { writeSeries } from '../sample-line.js';
import { validMetricName } from '../names.js';
import { escapeLabelValue } from '../escape.js';

/**
 * Writes families as text 0.0.4. What the format cannot carry is left out: units, exemplars and
 * native-histogram samples. OpenMetrics-only shapes are mapped as Prometheus reads them: a counter
 * family "x" with samples "x_total" is typed under "x_total"; `_created` samples become a gauge
 * family of their own; info and stateset become gauges; unknown is written as untyped.
 */
export function serializeText(families: readonly MetricFamily[]): string {
  let out = '';
  for (const f of families) out += familyText(f);
  return out;
}

function familyText(f: MetricFamily): string {
  const created: Sample[] = [];
  const createdName = f.name.endsWith('_total') ? f.name.slice(0, -6) + '_created' : f.name + '_created';
  const hasCreated = f.type === 'counter' || f.type === 'summary' || f.type === 'histogram';
  let metaName = f.name;
  if (f.type === 'counter' && !f.name.endsWith('_total') && f.samples.some((s) => s.name === f.name + '_total')) {
    metaName = f.name + '_total';
  } else if (f.type === 'info' && !f.name.endsWith('_info')) {
    metaName = f.name + '_info';
  }
  let body = '';
  for (const s of f.samples) {
    if (s.histogram !== undefined) continue;
    if (hasCreated && s.name === createdName) {
      created.push(s);
      continue;
    }
    body += sampleLine(s);
  }
  let out = meta(metaName, f.help, textType(f.type)) + body;
  if (created.length > 0) {
    out += meta(createdName, f.help, 'gauge');
    for (const s of created) out += sampleLine(s);
  }
  return out;
}

function meta(name: string, help: string | undefined, type: string): string {
  const n = validMetricName(name) ? name : '"' + escapeLabelValue(name) + '"';
  let out = '';
  if (help !== undefined) out += '# HELP ' + n + ' ' + escapeHelp(help) + '\n';
  return out + '# TYPE ' + n + ' ' + type + '\n';
}

function sampleLine(s: Sample): string {
  let line = writeSeries(s.name, s.labels) + ' ' + formatValue(s.value);
  if (s.timestampMs !== undefined) line += ' ' + String(s.timestampMs);
  return line + '\n';
}

function textType(t: MetricType): string {
  switch (t) {
    case 'unknown':
      return 'untyped';
    case 'info':
    case 'stateset':
      return 'gauge';
    default:
      return t;
  }
}
