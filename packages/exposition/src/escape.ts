// Escaping for the text formats. Both return the input unchanged (no copy) when nothing needs escaping.
import { CH_BACKSLASH, CH_LF, CH_QUOTE } from './chars.js';

/** Escapes `\`, `"` and newline, as label values (and OpenMetrics HELP) require. */
export function escapeLabelValue(s: string): string {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === CH_BACKSLASH || c === CH_QUOTE || c === CH_LF) break;
  }
  if (i === n) return s;
  return escapeFrom(s, i, true);
}

/** Escapes `\` and newline, as text 0.0.4 HELP lines require (a `"` stays as is). */
export function escapeHelp(s: string): string {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === CH_BACKSLASH || c === CH_LF) break;
  }
  if (i === n) return s;
  return escapeFrom(s, i, false);
}

function escapeFrom(s: string, first: number, quotes: boolean): string {
  let out = s.slice(0, first);
  let start = first;
  for (let i = first; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === CH_BACKSLASH) rep = '\\\\';
    else if (c === CH_LF) rep = '\\n';
    else if (quotes && c === CH_QUOTE) rep = '\\"';
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start);
}
