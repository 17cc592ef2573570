// JSON shapes of query values: float-second timestamps, values as strings formatted like
// Prometheus' json codec (strconv 'f', or 'e' below 1e-6 / from 1e21), NaN and ±Inf spelled out.
import type { QueryValue } from '@promethium/promql';
import type { Labels } from '@promethium/tsdb-core';

export function formatSampleValue(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go's 'e' format: shortest digits, exponent with a sign and at least two digits.
    const [mant, exp] = f.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '');
    return `${mant}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
  }
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

export function seconds(ms: number): number {
  return ms / 1000;
}

export function labelsJson(l: Labels): Record<string, string> {
  return l.toObject();
}

export function queryValueJson(v: QueryValue): { resultType: string; result: unknown } {
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [seconds(v.t), formatSampleValue(v.value)] };
    case 'string':
      return { resultType: 'string', result: [seconds(v.t), v.value] };
    case 'vector':
      return {
        resultType: 'vector',
        result: v.value.map((s) => ({ metric: labelsJson(s.metric), value: [seconds(s.t), formatSampleValue(s.f)] })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: v.value.map((s) => ({
          metric: labelsJson(s.metric),
          values: s.ts.map((t, i) => [seconds(t), formatSampleValue(s.fs[i]!)]),
        })),
      };
  }
}
