// Builds a scraped series' final labels (Prometheus' mutateSampleLabels): target labels are
// attached (honor_labels keeps the exposed value; otherwise the target wins and the exposed
// value moves to exported_<name>), then metric_relabel_configs run.
import { formatOpenMetricsValue, parseFloatText } from '@promethium/exposition';
import type { MetricType } from '@promethium/exposition';
import { Labels } from '@promethium/tsdb-core';
import { relabel } from '../relabel/relabel.js';
import type { CompiledRelabel } from '../relabel/relabel.js';

export interface LabelLimits {
  label_limit: number;
  label_name_length_limit: number;
  label_value_length_limit: number;
}

export class LabelLimitError extends Error {}

export function mutateSampleLabels(
  exposed: Map<string, string>,
  target: Labels,
  honorLabels: boolean,
  metricRelabel: readonly CompiledRelabel[],
): Labels | undefined {
  if (honorLabels) {
    // Present-but-empty counts as present (Prometheus' lset.Has): the pushgateway exposes
    // instance="" precisely so the scraper does not attach its own instance label.
    target.forEach((n, v) => {
      if (!exposed.has(n)) exposed.set(n, v);
    });
  } else {
    const conflicting: [string, string][] = [];
    target.forEach((n, v) => {
      const existing = exposed.get(n);
      if (existing) conflicting.push([n, existing]);
      exposed.set(n, v);
    });
    for (const [n, v] of conflicting) {
      let name = `exported_${n}`;
      while (exposed.get(name) || target.has(name)) name = `exported_${name}`;
      exposed.set(name, v);
    }
  }
  if (metricRelabel.length > 0 && !relabel(exposed, metricRelabel)) return undefined;
  return Labels.from(exposed);
}

export function checkLabelLimits(labels: Labels, limits: LabelLimits): void {
  const name = labels.get('__name__');
  // __name__ counts as a label for label_limit, as in Prometheus.
  if (limits.label_limit > 0 && labels.size > limits.label_limit) {
    throw new LabelLimitError(
      `label_limit exceeded (metric: ${name.slice(0, 50)}, number of labels: ${labels.size}, limit: ${limits.label_limit})`,
    );
  }
  if (limits.label_name_length_limit === 0 && limits.label_value_length_limit === 0) return;
  labels.forEach((n, v) => {
    if (limits.label_name_length_limit > 0 && n.length > limits.label_name_length_limit) {
      throw new LabelLimitError(
        `label_name_length_limit exceeded (metric: ${name.slice(0, 50)}, label name: ${n.slice(0, 50)}, length: ${n.length}, limit: ${limits.label_name_length_limit})`,
      );
    }
    if (limits.label_value_length_limit > 0 && v.length > limits.label_value_length_limit) {
      throw new LabelLimitError(
        `label_value_length_limit exceeded (metric: ${name.slice(0, 50)}, label name: ${n.slice(0, 50)}, value: ${JSON.stringify(v.slice(0, 50))}, length: ${v.length}, limit: ${limits.label_value_length_limit})`,
      );
    }
  });
}

/** Prometheus 3 stores classic histogram `le` and summary `quantile` values in canonical float form ("1" -> "1.0"). */
export function normalizeBucketLabel(labelName: string, value: string, familyType: MetricType): string {
  const applies =
    (labelName === 'le' && (familyType === 'histogram' || familyType === 'gaugehistogram')) ||
    (labelName === 'quantile' && familyType === 'summary');
  if (!applies) return value;
  const f = parseFloatText(value, 0, value.length);
  return f === undefined || Number.isNaN(f) ? value : formatOpenMetricsValue(f);
}
