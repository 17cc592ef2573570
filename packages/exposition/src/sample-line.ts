// Writing one sample's "name{labels}" in the text formats, quoting UTF-8 names that the
// legacy character set cannot express: {"my.metric","a.b"="c"}.
import type { ByteWriter } from './byte-writer.js';
import { escapeLabelValue } from './escape.js';
import { formatOpenMetricsValue, formatValue } from './format-value.js';
import { validLabelName, validMetricName } from './names.js';

let lastName = '';
let lastNameValid = true;

/** Writes name and label set, e.g. `http_requests_total{code="200"}`. */
export function writeSeries(w: ByteWriter, name: string, labels: Record<string, string>): void {
  if (name !== lastName) {
    lastName = name;
    lastNameValid = validMetricName(name);
  }
  const plain = lastNameValid;
  if (plain) w.str(name);
  else {
    w.str('{"');
    w.str(escapeLabelValue(name));
    w.byte(34);
  }
  let first = plain;
  for (const k in labels) {
    w.byte(first ? 123 : 44);
    first = false;
    writeLabel(w, k, labels[k]!);
  }
  if (!first) w.byte(125);
}

function writeLabel(w: ByteWriter, k: string, v: string): void {
  if (validLabelName(k)) w.str(k);
  else {
    w.byte(34);
    w.str(escapeLabelValue(k));
    w.byte(34);
  }
  w.byte(61);
  w.byte(34);
  w.str(escapeLabelValue(v));
  w.byte(34);
}

/** A label set alone, `{a="b",c="d"}` (empty set: `{}`), as exemplars use it. */
export function writeLabelSet(w: ByteWriter, labels: Record<string, string>): void {
  w.byte(123);
  let first = true;
  for (const k in labels) {
    if (!first) w.byte(44);
    first = false;
    writeLabel(w, k, labels[k]!);
  }
  w.byte(125);
}

/** A metric name for HELP/TYPE/UNIT lines, quoted when it is not a legacy name. */
export function writeMetaName(w: ByteWriter, name: string): void {
  if (validMetricName(name)) w.str(name);
  else {
    w.byte(34);
    w.str(escapeLabelValue(name));
    w.byte(34);
  }
}

/** formatValue, with small integers written as digits directly (the common case, no string made). */
export function writeValue(w: ByteWriter, n: number): void {
  if (Number.isInteger(n) && n > -1e6 && n < 1e6 && !Object.is(n, -0)) {
    if (n < 0) {
      w.byte(45);
      w.uint(-n);
    } else w.uint(n);
  } else w.str(formatValue(n));
}

/** formatOpenMetricsValue, with small integers written directly as `N.0`. */
export function writeOpenMetricsValue(w: ByteWriter, n: number): void {
  if (Number.isInteger(n) && n > -1e6 && n < 1e6 && !Object.is(n, -0)) {
    writeValue(w, n);
    w.byte(46);
    w.byte(48);
  } else w.str(formatOpenMetricsValue(n));
}
