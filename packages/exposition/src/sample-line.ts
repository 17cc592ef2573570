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
  w.escaped(v);
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

const POW10 = [1, 10, 100, 1000];

/**
 * formatValue without making a string in the common cases: integers below 1e6, and values with at
 * most three decimals. For those, m / 10^k === n identifies the unique (hence shortest, and the
 * one Go and JS print) decimal of k fraction digits, because doubles below 1e6 are far denser
 * than 10^-3.
 */
export function writeValue(w: ByteWriter, n: number): void {
  const a = n < 0 ? -n : n;
  if (a < 1e6 && a >= 1e-3 && !Object.is(n, -0)) {
    if (Number.isInteger(a)) {
      if (n < 0) w.byte(45);
      w.uint(a);
      return;
    }
    for (let k = 1; k <= 3; k++) {
      const m = Math.round(a * POW10[k]!);
      if (m / POW10[k]! === a) {
        if (n < 0) w.byte(45);
        const ip = Math.floor(m / POW10[k]!);
        w.uint(ip);
        w.byte(46);
        let frac = m - ip * POW10[k]!;
        for (let d = k - 1; d >= 0; d--) {
          const p = POW10[d]!;
          const digit = Math.floor(frac / p);
          w.byte(48 + digit);
          frac -= digit * p;
        }
        return;
      }
    }
  }
  if (n === 0 && !Object.is(n, -0)) w.byte(48);
  else w.str(formatValue(n));
}

/** formatOpenMetricsValue, with small integers written directly as `N.0`. */
export function writeOpenMetricsValue(w: ByteWriter, n: number): void {
  if (Number.isInteger(n) && n > -1e6 && n < 1e6 && !Object.is(n, -0)) {
    writeValue(w, n);
    w.byte(46);
    w.byte(48);
  } else if (n > -1e6 && n < 1e6 && (n >= 1e-3 || n <= -1e-3)) writeValue(w, n);
  else w.str(formatOpenMetricsValue(n));
}
