// Go's strconv.FormatFloat(v, 'f', -1, 64), which Prometheus' model uses to print sample
// values: the shortest digits that round-trip, never in exponent form.
export function formatFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!s.includes('e')) return s;
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const exp = Number(expStr);
  let out: string;
  if (exp >= 0) {
    out = digits.length - 1 <= exp ? digits + '0'.repeat(exp - (digits.length - 1)) : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${out}` : out;
}

/** Prometheus model.Time.String(): seconds since the epoch with up to millisecond decimals. */
export function formatTimestamp(seconds: number): string {
  return formatFloatF(Math.round(seconds * 1000) / 1000);
}
