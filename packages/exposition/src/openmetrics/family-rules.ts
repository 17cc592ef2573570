// Which sample names belong to an OpenMetrics family of a given type, per the spec's suffix table.
import type { MetricType } from '../model.js';

const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [''],
  unknown: [''],
  stateset: [''],
  info: ['_info'],
  summary: ['', '_sum', '_count', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
};

/** The suffix of `sample` within a family `family` of `type`, or undefined when it does not belong. */
export function sampleSuffix(family: string, type: MetricType, sample: string): string | undefined {
  if (!sample.startsWith(family)) return undefined;
  const rest = sample.length === family.length ? '' : sample.slice(family.length);
  return SUFFIXES[type].includes(rest) ? rest : undefined;
}

/** Every sample name a family may generate (used to detect clashes between families). */
export function generatedNames(family: string, type: MetricType): string[] {
  return SUFFIXES[type].map((s) => family + s);
}
