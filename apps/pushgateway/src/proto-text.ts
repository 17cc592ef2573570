// Go's compact protobuf text rendering of a client_model Metric, as it appears inside the real
// Pushgateway's consistency errors: `label:<name:"job" value:"x" > gauge:<value:2 > `.
import { goType, type GoMetric } from './go-metrics.js';
import { formatValue as formatGoFloat } from '@promethium/exposition';
import type { MetricType } from '@promethium/exposition';

const enc = new TextEncoder();

/** Go prototext string quoting: printable ASCII as is, other bytes as octal escapes. */
export function protoQuote(s: string): string {
  let out = '"';
  for (const b of enc.encode(s)) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}

function num(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isNaN(v)) return 'nan';
  return formatGoFloat(v);
}

export function protoText(type: MetricType, m: GoMetric): string {
  let s = '';
  for (const [n, v] of Object.entries(m.labels)) s += `label:<name:${protoQuote(n)} value:${protoQuote(v)} > `;
  switch (goType(type)) {
    case 'COUNTER':
      return `${s}counter:<value:${num(m.value ?? 0)} > `;
    case 'GAUGE':
      return `${s}gauge:<value:${num(m.value ?? 0)} > `;
    case 'UNTYPED':
      return `${s}untyped:<value:${num(m.value ?? 0)} > `;
    case 'SUMMARY': {
      let q = '';
      for (const [quantile, value] of m.quantiles ?? []) q += `quantile:<quantile:${num(quantile)} value:${num(value)} > `;
      return `${s}summary:<sample_count:${num(m.count ?? 0)} sample_sum:${num(m.sum ?? 0)} ${q}> `;
    }
    default: {
      let b = '';
      for (const [le, c] of m.buckets ?? []) b += `bucket:<cumulative_count:${num(c)} upper_bound:${num(le)} > `;
      return `${s}histogram:<sample_count:${num(m.count ?? 0)} sample_sum:${num(m.sum ?? 0)} ${b}> `;
    }
  }
}
