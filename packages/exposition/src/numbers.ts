// Number syntax shared by the text formats. Both Go's ParseFloat (as expfmt restricts it: no hex,
// no '_') and OpenMetrics' ABNF accept the same decimal grammar, so one validating scanner serves
// both; JS Number() alone would accept "0x10", "Infinity", "" and surrounding blanks.
import { isDigit } from './chars.js';

/**
 * Parses `src[start, end)` as a float: `[+-]` then digits with an optional fraction and exponent
 * (`1`, `1.`, `.5`, `1e-3`), or case-insensitive `inf`/`infinity` with optional sign, or `nan`.
 * Returns undefined when the text is not such a number or overflows to infinity.
 */
export function parseFloatText(src: string, start: number, end: number): number | undefined {
  if (start >= end) return undefined;
  let i = start;
  let c = src.charCodeAt(i);
  let neg = false;
  if (c === 43 || c === 45) {
    neg = c === 45;
    if (++i === end) return undefined;
    c = src.charCodeAt(i);
  }
  if (!isDigit(c) && c !== 46) return special(src, i, end, neg, i !== start);
  // Fast path: up to 15 plain digits are exact in a double.
  let v = 0;
  const intStart = i;
  while (i < end && isDigit((c = src.charCodeAt(i)))) {
    v = v * 10 + (c - 48);
    i++;
  }
  if (i === end && i - intStart <= 15) return neg ? -v : v;
  let digits = i - intStart;
  let fracDigits = 0;
  if (i < end && c === 46) {
    i++;
    const f = i;
    while (i < end && isDigit((c = src.charCodeAt(i)))) {
      v = v * 10 + (c - 48);
      i++;
    }
    fracDigits = i - f;
    digits += fracDigits;
    // Clinger's fast path: an exact integer mantissa (< 2^53) divided by an exact power of ten
    // is correctly rounded, so "1000.37" needs no Number(string).
    if (i === end && digits > 0 && digits <= 15) {
      const r = v / POW10[i - f]!;
      return neg ? -r : r;
    }
  }
  if (digits === 0) return undefined;
  if (i < end) {
    c = src.charCodeAt(i);
    if (c !== 101 && c !== 69) return undefined;
    i++;
    let expNeg = false;
    if (i < end && ((c = src.charCodeAt(i)) === 43 || c === 45)) {
      expNeg = c === 45;
      i++;
    }
    const e = i;
    let exp = 0;
    while (i < end && isDigit((c = src.charCodeAt(i)))) {
      exp = exp * 10 + (c - 48);
      i++;
    }
    if (i === e || i !== end) return undefined;
    // Clinger's fast path again: an exact mantissa times or divided by an exact power of ten
    // (10^22 at most) is one correctly rounded operation, as Number("7.6238e-05") is.
    if (digits <= 15 && i - e <= 4) {
      const e10 = (expNeg ? -exp : exp) - fracDigits;
      if (e10 >= -22 && e10 <= 22) {
        const r = e10 >= 0 ? v * POW10[e10]! : v / POW10[-e10]!;
        return neg ? -r : r;
      }
    }
  }
  const r = Number(src.slice(start, end));
  return r === Infinity || r === -Infinity ? undefined : r;
}

/** 10^0 to 10^22, all exact doubles. */
export const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

function special(src: string, i: number, end: number, neg: boolean, signed: boolean): number | undefined {
  const n = end - i;
  if (n === 3 && lowerEq(src, i, 'inf')) return neg ? -Infinity : Infinity;
  if (n === 8 && lowerEq(src, i, 'infinity')) return neg ? -Infinity : Infinity;
  if (n === 3 && !signed && lowerEq(src, i, 'nan')) return NaN;
  return undefined;
}

function lowerEq(src: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if ((src.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

const INT64_MAX = 9223372036854775807n;

/** Parses `src[start, end)` as a Go int64 (`[+-]digits`); undefined when malformed or out of range. */
export function parseInt64Text(src: string, start: number, end: number): number | undefined {
  let i = start;
  let neg = false;
  if (i < end) {
    const c = src.charCodeAt(i);
    if (c === 43 || c === 45) {
      neg = c === 45;
      i++;
    }
  }
  if (i === end) return undefined;
  let v = 0;
  for (let k = i; k < end; k++) {
    const c = src.charCodeAt(k);
    if (!isDigit(c)) return undefined;
    v = v * 10 + (c - 48);
  }
  if (end - i > 15) {
    const big = BigInt(src.slice(i, end));
    if (big > (neg ? INT64_MAX + 1n : INT64_MAX)) return undefined;
    v = Number(big);
  }
  return neg ? -v : v;
}
