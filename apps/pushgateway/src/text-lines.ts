// Text 0.0.4 sample lines, as client_golang writes them: labels in stored (sorted) order with a
// histogram's le / a summary's quantile last, values formatted like Go's %g.
import { escapeLabelValue, formatValue, type MetricType, type Sample } from '@promethium/exposition';
import { innerLabel } from './go-metrics.js';

export function sampleLine(type: MetricType, s: Sample): string {
  const inner = innerLabel(type, s.name);
  let labels = '';
  let last = '';
  for (const n in s.labels) {
    const part = `${n}="${escapeLabelValue(s.labels[n]!)}"`;
    if (n === inner) last = part;
    else labels += labels === '' ? part : `,${part}`;
  }
  if (last !== '') labels += labels === '' ? last : `,${last}`;
  return labels === '' ? `${s.name} ${formatValue(s.value)}\n` : `${s.name}{${labels}} ${formatValue(s.value)}\n`;
}

/** The scrape bytes of one family's samples (native histograms have no text form). */
export function renderLines(type: MetricType, samples: readonly Sample[]): Buffer {
  let t = '';
  for (const s of samples) if (!s.histogram) t += sampleLine(type, s);
  return Buffer.from(t);
}
