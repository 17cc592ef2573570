// Renders Prometheus API results the way promtool does (Go's model.Value String()).
import { formatFloatF, formatTimestamp } from './format-float.js';

export type Metric = Record<string, string>;
export type SamplePair = [number, string];

export type QueryData =
  | { resultType: 'vector'; result: { metric: Metric; value: SamplePair }[] }
  | { resultType: 'matrix'; result: { metric: Metric; values: SamplePair[] }[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: SamplePair };

/** Go %q quoting of a label value. */
function quote(v: string): string {
  return JSON.stringify(v);
}

/** model.Metric.String(): name{a="b", c="d"} with labels sorted, or {..} without a name. */
export function formatMetric(m: Metric): string {
  const name = m.__name__;
  const labels = Object.keys(m)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${quote(m[k]!)}`);
  if (name === undefined) return `{${labels.join(', ')}}`;
  return labels.length === 0 ? name : `${name}{${labels.join(', ')}}`;
}

/** model.LabelSet.String(): every label including __name__, sorted. */
export function formatLabelSet(m: Metric): string {
  const labels = Object.keys(m)
    .sort()
    .map((k) => `${k}=${quote(m[k]!)}`);
  return `{${labels.join(', ')}}`;
}

function pair([t, v]: SamplePair): string {
  return `${formatFloatF(Number(v))} @[${formatTimestamp(t)}]`;
}

export function formatQueryData(d: QueryData): string {
  switch (d.resultType) {
    case 'vector':
      return d.result.map((s) => `${formatMetric(s.metric)} => ${pair(s.value)}`).join('\n');
    case 'matrix':
      return d.result.map((s) => `${formatMetric(s.metric)} =>\n${s.values.map(pair).join('\n')}`).join('\n');
    case 'scalar':
      return `scalar: ${pair(d.result)}`;
    case 'string':
      // promtool cannot decode string results; print them the way model.String does.
      return `${d.result[1]} @[${formatTimestamp(d.result[0])}]`;
  }
}
