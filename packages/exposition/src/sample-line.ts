// Writing one sample's "name{labels}" in the text formats, quoting UTF-8 names that the
// legacy character set cannot express: {"my.metric","a.b"="c"}.
import { escapeLabelValue } from './escape.js';
import { validLabelName, validMetricName } from './names.js';

/** Appends name and label set, e.g. `http_requests_total{code="200"}`. `extra` is an additional label (le, quantile). */
export function writeSeries(name: string, labels: Record<string, string>): string {
  const plain = validMetricName(name);
  let out = plain ? name : '{"' + escapeLabelValue(name) + '"';
  let first = plain;
  for (const k in labels) {
    out += first ? '{' : ',';
    first = false;
    out += validLabelName(k) ? k : '"' + escapeLabelValue(k) + '"';
    out += '="' + escapeLabelValue(labels[k]!) + '"';
  }
  if (!first) out += '}';
  return out;
}

/** A label set alone, `{a="b",c="d"}` (empty set: `{}`), as exemplars use it. */
export function writeLabelSet(labels: Record<string, string>): string {
  let out = '{';
  let first = true;
  for (const k in labels) {
    if (!first) out += ',';
    first = false;
    out += validLabelName(k) ? k : '"' + escapeLabelValue(k) + '"';
    out += '="' + escapeLabelValue(labels[k]!) + '"';
  }
  return out + '}';
}
