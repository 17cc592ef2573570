// Float formatting exactly as Go's strconv.FormatFloat(f, 'g', -1, 64), which is what
// client_golang/expfmt writes: shortest round-trip digits, exponent form when the decimal
// exponent is < -4 or >= 6 (1e+06, 1.234567e+06, 0.0001, 1e-05), at least two exponent digits.

/** Formats a sample value the way Prometheus' Go libraries write it in text 0.0.4. */
export function formatValue(n: number): string {
  if (n !== n) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n === 0) return 1 / n < 0 ? '-0' : '0';
  const a = n < 0 ? -n : n;
  // In this range Go's %g picks the fixed form, and JS prints the same shortest digits in fixed form.
  if (a >= 1e-4 && a < 1e6) return String(n);
  return goExponent(n.toExponential());
}

/** OpenMetrics writes floats with Go's %g too, but integral values get a ".0" (1.0, 100000.0). */
export function formatOpenMetricsValue(n: number): string {
  const s = formatValue(n);
  if (n !== n || n === Infinity || n === -Infinity) return s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 || c === 101) return s; // '.' or 'e'
  }
  return s + '.0';
}

/** JS "1.5e+6" / "1e-7" -> Go "1.5e+06" / "1e-07": the exponent has at least two digits. */
function goExponent(js: string): string {
  const e = js.indexOf('e');
  const sign = js.charCodeAt(e + 1); // '+' or '-'
  const digits = js.length - e - 2;
  if (digits >= 2) return js;
  return js.slice(0, e + 1) + (sign === 45 ? '-0' : '+0') + js.slice(e + 2);
}
