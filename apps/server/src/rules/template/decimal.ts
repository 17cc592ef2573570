// Exact decimal rounding of doubles with ties to even, as Go's strconv does. JS toFixed and
// toExponential round exact ties away from zero (0.125 -> "0.13"), Go gives "0.12".
const view = new DataView(new ArrayBuffer(8));

/** |x| = 0.DIGITS × 10^point exactly (x finite, non-zero). */
function exactDigits(x: number): { digits: string; point: number } {
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = biased - 1075;
  if (biased === 0) exp = -1074;
  else mant |= 1n << 52n;
  let digits: string;
  let point: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    point = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    point = digits.length + exp;
  }
  const trimmed = digits.replace(/0+$/, '');
  return { digits: trimmed || '0', point };
}

/** Rounds to `n` significant digits (n may be <= 0), ties to even. */
function roundDigits(d: { digits: string; point: number }, n: number): { digits: string; point: number } {
  if (n >= d.digits.length) return d;
  if (n < 0) return { digits: '0', point: d.point };
  const head = d.digits.slice(0, n);
  const rest = d.digits.slice(n);
  const first = rest.charCodeAt(0) - 48;
  const tie = first === 5 && /^50*$/.test(rest);
  const lastEven = n === 0 || (head.charCodeAt(n - 1) - 48) % 2 === 0;
  const up = first > 5 || (first === 5 && (!tie || !lastEven));
  if (!up) return { digits: head || '0', point: head ? d.point : d.point };
  // Increment head as a decimal string.
  const arr = (head || '0').split('').map(Number);
  let k = arr.length - 1;
  for (; k >= 0; k--) {
    if (arr[k]! < 9) {
      arr[k]!++;
      break;
    }
    arr[k] = 0;
  }
  if (k < 0) return { digits: '1' + arr.join(''), point: (head ? d.point : d.point) + 1 };
  return { digits: arr.join(''), point: head ? d.point : d.point + 1 };
}

/** Go %.{prec}f */
export function toFixedEven(x: number, prec: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return prec > 0 ? `0.${'0'.repeat(prec)}` : '0';
  const d = roundDigits(exactDigits(x), exactDigits(x).point + prec);
  let all = d.digits;
  let point = d.point;
  if (d.digits === '0') {
    all = '0';
    point = 1;
  }
  // Place the decimal point.
  let intPart: string;
  let frac: string;
  if (point <= 0) {
    intPart = '0';
    frac = '0'.repeat(-point) + all;
  } else {
    intPart = all.slice(0, point).padEnd(point, '0');
    frac = all.slice(point);
  }
  frac = frac.padEnd(prec, '0').slice(0, prec);
  const s = prec > 0 ? `${intPart}.${frac}` : intPart;
  return x < 0 && /[1-9]/.test(s) ? `-${s}` : s;
}

/** Go %.{prec-1}e mantissa digits and exponent for `sig` significant digits. */
export function toSignificantEven(x: number, sig: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(sig), exp: 0 };
  const d = roundDigits(exactDigits(x), sig);
  return { digits: d.digits.padEnd(sig, '0').slice(0, sig), exp: d.point - 1 };
}
