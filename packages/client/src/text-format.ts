// Small text-format helpers used on the hot serialization path (escaping is exposition's).
import { escapeLabelValue, formatOpenMetricsValue, formatValue, type Exemplar as ModelExemplar } from '@promethium/exposition';

/**
 * Sample value as the text format writes it: JS shortest round-trip form (what prom-client
 * writes, so outputs stay byte-identical; Prometheus parses it like Go's form), NaN, +Inf, -Inf.
 */
export function formatSampleValue(v: number): string {
  if (Number.isFinite(v)) return '' + v;
  if (v !== v) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}

/** `a="x",b="y"` for the defined values, in declaration order. */
export function labelPairsText(names: readonly string[], values: readonly (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    if (out !== '') out += ',';
    out += names[i] + '="' + escapeLabelValue(v) + '"';
  }
  // Kept per series for its lifetime: one flat string is a fraction of the rope's memory.
  return flatten(out);
}

export function recordPairsText(labels: Record<string, string | number | undefined>): string {
  let out = '';
  for (const name in labels) {
    const v = labels[name];
    if (v === undefined) continue;
    if (out !== '') out += ',';
    out += name + '="' + escapeLabelValue(typeof v === 'string' ? v : String(v)) + '"';
  }
  return out;
}

/** OpenMetrics count values (buckets, _count) are written as integers when they are. */
export function omCount(v: number): string {
  return Number.isInteger(v) ? String(v) : formatOpenMetricsValue(v);
}

/** ` # {labels} value [timestamp]`, as exposition's OpenMetrics serializer writes exemplars. */
export function omExemplar(e: ModelExemplar): string {
  let out = ' # {' + recordPairsText(e.labels) + '} ' + formatOpenMetricsValue(e.value);
  if (e.timestamp !== undefined) out += ' ' + formatValue(e.timestamp);
  return out;
}

/** Flattens a rope string (V8 flattens on character access), so later copies are cheap. */
export function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}
