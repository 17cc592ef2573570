// Go's formatting of the values promtool prints: fmt's %g for sample values, time.Duration's
// String(), units.Base2Bytes' String() and time.Time's String() in UTC.
import { formatFloatF } from '../query/format-float.js';

/** fmt.Sprintf("%g", v): shortest round-trip digits; exponent form when exp < -4 or exp >= 6 (Go's rule for shortest %g). */
export function goG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // Fast path: in this range JavaScript's shortest form is Go's too (no exponent either way).
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(v);
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return formatFloatF(v);
}

/** time.Duration(ms * 1e6).String(). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let a = Math.abs(ms);
  let out: string;
  if (a < 1000) {
    out = `${a}ms`;
  } else {
    const h = Math.floor(a / 3_600_000);
    a -= h * 3_600_000;
    const m = Math.floor(a / 60_000);
    a -= m * 60_000;
    const s = Math.floor(a / 1000);
    const frac = a - s * 1000;
    const secs = frac === 0 ? `${s}` : `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
    out = h > 0 ? `${h}h${m}m${secs}s` : m > 0 ? `${m}m${secs}s` : `${secs}s`;
  }
  return neg ? `-${out}` : out;
}

const MAGNITUDES = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/** units.Base2Bytes(n).String(): e.g. 1088 -> "1KiB64B", 995 -> "995B". */
export function base2Bytes(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < MAGNITUDES.length; i++) {
    const r = n % 1024;
    if (r !== 0 || (i === 0 && n === 0)) parts.unshift(`${r}${MAGNITUDES[i]}${i === 0 ? 'B' : 'iB'}`);
    n = Math.floor(n / 1024);
    if (n === 0) break;
  }
  return parts.join('');
}

/** time.Unix(ms/1000, 0).UTC().String(), e.g. "2019-08-06 23:21:40 +0000 UTC". */
export function goTimeUTC(ms: number): string {
  const secs = Math.trunc(ms / 1000);
  const iso = new Date(secs * 1000).toISOString(); // 2019-08-06T23:21:40.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
