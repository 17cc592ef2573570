// Formats a float64 the way Go's strconv.FormatFloat(v, 'g', -1, 64) does. The real Pushgateway
// writes every value (text exposition, API v1 JSON, error messages) this way, so clients and
// diffs against it see identical strings, e.g. 1e+06 and 1.7955410526388876e+09.
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // toExponential() without an argument gives the shortest round-tripping digits.
  const exp = v.toExponential();
  const e = exp.indexOf('e');
  const exponent = Number(exp.slice(e + 1));
  // Go switches to the exponent form below 1e-4 and from 1e+06 up (precision 6 for shortest).
  if (exponent < -4 || exponent >= 6) {
    const mantissa = exp.slice(0, e);
    const sign = exponent < 0 ? '-' : '+';
    const abs = Math.abs(exponent);
    return `${mantissa}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(v);
}
