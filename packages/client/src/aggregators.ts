// Cross-process aggregation of prom-client value objects (used by AggregatorRegistry).
import type { MetricObjectWithValues, MetricValue } from './metric.js';

export type AggregatorFunction = (metrics: MetricObjectWithValues[]) => MetricObjectWithValues | undefined;

function labelKey(v: MetricValue): string {
  const labels = v.labels ?? {};
  const keys = Object.keys(labels).sort();
  let k = (v.metricName ?? '') + '\u0000';
  for (const name of keys) k += name + '\u0001' + String(labels[name]) + '\u0002';
  return k;
}

/** Builds an aggregator that groups values by sample name and labels and folds each group. */
export function AggregatorFactory(fn: (values: MetricValue[]) => number): AggregatorFunction {
  return (metrics) => {
    const first = metrics[0];
    if (first === undefined) return undefined;
    const groups = new Map<string, MetricValue[]>();
    for (const m of metrics) {
      for (const v of m.values) {
        const k = labelKey(v);
        const g = groups.get(k);
        if (g) g.push(v);
        else groups.set(k, [v]);
      }
    }
    const values: MetricValue[] = [];
    for (const g of groups.values()) {
      const out: MetricValue = { value: fn(g), labels: g[0]!.labels };
      if (g[0]!.metricName !== undefined) out.metricName = g[0]!.metricName;
      values.push(out);
    }
    return { help: first.help, name: first.name, type: first.type, values, aggregator: first.aggregator };
  };
}

export const aggregators: Record<string, AggregatorFunction> = {
  sum: AggregatorFactory((v) => v.reduce((a, x) => a + x.value, 0)),
  first: AggregatorFactory((v) => v[0]!.value),
  omit: () => undefined,
  average: AggregatorFactory((v) => v.reduce((a, x) => a + x.value, 0) / v.length),
  min: AggregatorFactory((v) => v.reduce((a, x) => Math.min(a, x.value), Infinity)),
  max: AggregatorFactory((v) => v.reduce((a, x) => Math.max(a, x.value), -Infinity)),
};
