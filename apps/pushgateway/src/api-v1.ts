// JSON bodies of /api/v1/metrics and /api/v1/status, shaped like the real Pushgateway's:
// numbers as Go-formatted strings, one object per group keyed by family name.
import { formatValue } from '@promethium/exposition';
import { goType, toGoMetrics } from './go-metrics.js';
import { PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, PUSH_TIME, PUSH_TIME_HELP, type Group } from './group.js';
import type { MetricStore } from './store.js';

interface JsonFamily {
  time_stamp: string;
  type: string;
  help?: string;
  metrics: Record<string, unknown>[];
}

function timeGauge(g: Group, value: number, help: string): JsonFamily {
  const labels: Record<string, string> = { ...g.labels };
  if (labels.instance === undefined) labels.instance = '';
  return {
    time_stamp: new Date(g.lastChangeMs).toISOString(),
    type: 'GAUGE',
    help,
    metrics: [{ labels: sortKeys(labels), value: formatValue(value) }],
  };
}

function sortKeys(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

export function groupJson(g: Group): Record<string, unknown> {
  const out: Record<string, unknown> = {
    labels: g.labels,
    last_push_successful: g.pushFailureTimeSeconds <= g.pushTimeSeconds,
  };
  for (const f of g.families.values()) {
    const fam: JsonFamily = { time_stamp: new Date(f.pushedAtMs).toISOString(), type: goType(f.type), metrics: [] };
    if (f.help !== undefined) fam.help = f.help;
    for (const m of toGoMetrics(f)) {
      const j: Record<string, unknown> = { labels: m.labels };
      if (m.value !== undefined) j.value = formatValue(m.value);
      if (m.count !== undefined) j.count = formatValue(m.count);
      if (m.sum !== undefined) j.sum = formatValue(m.sum);
      if (m.quantiles) j.quantiles = Object.fromEntries(m.quantiles.map(([q, v]) => [formatValue(q), formatValue(v)]));
      if (m.buckets) j.buckets = Object.fromEntries(m.buckets.map(([le, c]) => [formatValue(le), formatValue(c)]));
      // Go marshals these from maps: keys in sorted order.
      fam.metrics.push(Object.fromEntries(Object.entries(j).sort(([a], [b]) => (a < b ? -1 : 1))));
    }
    out[f.name] = fam;
  }
  out[PUSH_FAILURE_TIME] = timeGauge(g, g.pushFailureTimeSeconds, PUSH_FAILURE_TIME_HELP);
  out[PUSH_TIME] = timeGauge(g, g.pushTimeSeconds, PUSH_TIME_HELP);
  return out;
}

export function metricsJson(store: MetricStore): string {
  return JSON.stringify({ status: 'success', data: store.groups().map(groupJson) });
}

export function statusJson(flags: Record<string, string>, startTime: Date, version: string): string {
  return JSON.stringify({
    status: 'success',
    data: {
      build_information: {
        branch: 'promethium',
        buildDate: '',
        buildUser: '',
        goVersion: `node${process.versions.node}`,
        revision: version,
        version,
      },
      flags,
      start_time: startTime.toISOString(),
    },
  });
}
