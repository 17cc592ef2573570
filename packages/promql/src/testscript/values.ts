// The value-sequence notation of Prometheus test scripts: `0+10x5 _ stale 1x3`.

/**
 * One expanded slot: a float, 'stale' for a staleness marker (kept symbolic: plain JS arrays
 * may rewrite the marker's NaN payload), or `undefined` for "no sample".
 */
export type SequenceValue = number | 'stale' | undefined;

const UNSIGNED = String.raw`(?:(?:\d[\d_]*(?:\.[\d_]*)?|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN])`;
const ITEM_RE = new RegExp(`^([+-]?${UNSIGNED})(?:([+-])(${UNSIGNED})x(\\d+)|x(\\d+))?$`);

/** Go ParseFloat-like number parsing for series values (no hex). */
export function parseSeriesNumber(s: string): number {
  const low = s.toLowerCase();
  const sign = low.startsWith('-') ? -1 : 1;
  const body = low.replace(/^[+-]/, '');
  if (body === 'inf') return sign * Infinity;
  if (body === 'nan') return NaN;
  return sign * Number(body.replace(/_/g, ''));
}

/** Expands a value sequence. Throws on malformed items. */
export function parseSequence(text: string): SequenceValue[] {
  const out: SequenceValue[] = [];
  for (const tok of text.split(/[ \t]+/).filter((x) => x !== '')) {
    if (tok === '_') {
      out.push(undefined);
      continue;
    }
    const blank = /^_x(\d+)$/.exec(tok);
    if (blank) {
      for (let i = 0; i < Number(blank[1]); i++) out.push(undefined);
      continue;
    }
    if (tok === 'stale') {
      out.push('stale');
      continue;
    }
    const m = ITEM_RE.exec(tok);
    if (!m) throw new Error(`invalid value "${tok}"`);
    let v = parseSeriesNumber(m[1]!);
    if (m[5] !== undefined) {
      for (let i = 0; i <= Number(m[5]); i++) out.push(v);
    } else if (m[2] !== undefined) {
      const d = parseSeriesNumber(m[3]!) * (m[2] === '-' ? -1 : 1);
      for (let i = 0; i <= Number(m[4]); i++) {
        out.push(v);
        v += d;
      }
    } else {
      out.push(v);
    }
  }
  return out;
}

/** Relative-epsilon float equality of Prometheus' test runner (almost.Equal with 1e-6). */
export function almostEqual(a: number, b: number, isStaleA: boolean, isStaleB: boolean): boolean {
  if (isStaleA || isStaleB) return isStaleA && isStaleB;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const eps = 1e-6;
  const minNormal = 2.2250738585072014e-308;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < eps * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < eps;
}
