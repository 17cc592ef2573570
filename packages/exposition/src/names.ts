// Name validity: the legacy (unquoted) character sets of metric and label names.
import { isLabelNameChar, isLabelNameStart, isMetricNameChar, isMetricNameStart } from './chars.js';

/** True when `s` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`, i.e. it can be written without quotes. */
export function validMetricName(s: string): boolean {
  const n = s.length;
  if (n === 0 || !isMetricNameStart(s.charCodeAt(0))) return false;
  for (let i = 1; i < n; i++) if (!isMetricNameChar(s.charCodeAt(i))) return false;
  return true;
}

/** True when `s` matches `[a-zA-Z_][a-zA-Z0-9_]*`, i.e. it can be written without quotes. */
export function validLabelName(s: string): boolean {
  const n = s.length;
  if (n === 0 || !isLabelNameStart(s.charCodeAt(0))) return false;
  for (let i = 1; i < n; i++) if (!isLabelNameChar(s.charCodeAt(i))) return false;
  return true;
}

/** True when `s` is acceptable as a quoted UTF-8 name: non-empty and well-formed (no lone surrogates). */
export function validUtf8Name(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}
