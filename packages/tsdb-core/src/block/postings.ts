// Set operations on sorted postings lists (ascending series IDs) and the matcher ->
// postings planning of a block query, with Prometheus' semantics: a matcher that accepts
// the empty string also selects series that lack the label.
import type { Matcher } from '../matcher.js';

const EMPTY = new Uint32Array(0);

export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}

export function subtract(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length);
  let j = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) continue;
    out[n++] = x;
  }
  return out.subarray(0, n);
}

export function union(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY;
  if (lists.length === 1) return lists[0]!;
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Uint32Array(total);
  let p = 0;
  for (const l of lists) {
    all.set(l, p);
    p += l.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!;
  return all.subarray(0, n);
}

/** What a postings source must offer for matcher planning. */
export interface PostingsSource {
  allPostings(): Uint32Array;
  postings(name: string, value: string): Uint32Array;
  postingsForValues(name: string, accept: (v: string) => boolean): Uint32Array[];
}

/** Series IDs matching every matcher. */
export function postingsForMatchers(src: PostingsSource, matchers: readonly Matcher[]): Uint32Array {
  const positive: Uint32Array[] = [];
  const negative: Uint32Array[] = [];
  for (const m of matchers) {
    if (m.matchesEmpty()) {
      // Selects series without the label too: remove those whose value is rejected.
      negative.push(union(src.postingsForValues(m.name, (v) => !m.matches(v))));
    } else if (m.type === '=') {
      positive.push(src.postings(m.name, m.value));
    } else {
      positive.push(union(src.postingsForValues(m.name, (v) => m.matches(v))));
    }
  }
  positive.sort((a, b) => a.length - b.length);
  let res = positive.length > 0 ? positive[0]! : src.allPostings();
  for (let i = 1; i < positive.length && res.length > 0; i++) res = intersect(res, positive[i]!);
  for (const n of negative) {
    if (res.length === 0) break;
    res = subtract(res, n);
  }
  return res;
}
