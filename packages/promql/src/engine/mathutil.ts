// Numeric helpers with Go's semantics where they differ from JavaScript's.

/** Neumaier-compensated summation step, as Prometheus' kahanSumInc. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** Go's math.Pow special cases: Pow(1, y) = 1 and Pow(-1, ±Inf) = 1, unlike JS `**`. */
export function goPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** Go's strconv.ParseFloat for the forms label values use (le="+Inf", "1e3", "0x1p-2", "NaN"). */
export function parseGoFloat(s: string): number | undefined {
  const t = s.trim() === s ? s : undefined;
  if (t === undefined || t === '') return undefined;
  const low = t.toLowerCase().replace(/_/g, '');
  const sign = low.startsWith('-') ? -1 : 1;
  const body = low.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  if (/^0x/.test(body)) {
    const m = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(body);
    if (!m) return undefined;
    const mant = parseInt((m[1] ?? '') + (m[2] ?? '') || '0', 16) / 16 ** (m[2]?.length ?? 0);
    return sign * mant * 2 ** Number(m[3] ?? 0);
  }
  if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(body)) return undefined;
  return sign * Number(body);
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64) lives in the printer; this is 'g'-free shortest text for labels. */
export { formatFloat } from '../parser/printer.js';
