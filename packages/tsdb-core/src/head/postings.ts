// Postings: for every label name and value, the sorted refs of the series carrying it, and the
// set operations that resolve matchers to series (Prometheus' MemPostings and
// PostingsForMatchers). Refs only grow, so appending a new ref keeps every list sorted.
import type { Matcher } from '../matcher.js';

export type Postings = readonly number[];

export class MemPostings {
  private readonly m = new Map<string, Map<string, number[]>>();
  private all: number[] = [];

  add(ref: number, flat: readonly string[]): void {
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i]!;
      let values = this.m.get(name);
      if (values === undefined) {
        values = new Map();
        this.m.set(name, values);
      }
      const value = flat[i + 1]!;
      const list = values.get(value);
      if (list === undefined) values.set(value, [ref]);
      else insertSorted(list, ref);
    }
    insertSorted(this.all, ref);
  }

  /** Removes the given refs (sorted) from every list; drops emptied values and names. */
  delete(refs: readonly number[]): void {
    if (refs.length === 0) return;
    const drop = new Set(refs);
    for (const [name, values] of this.m) {
      for (const [value, list] of values) {
        const kept = list.filter((r) => !drop.has(r));
        if (kept.length === 0) values.delete(value);
        else if (kept.length !== list.length) values.set(value, kept);
      }
      if (values.size === 0) this.m.delete(name);
    }
    this.all = this.all.filter((r) => !drop.has(r));
  }

  allPostings(): Postings {
    return this.all;
  }

  get(name: string, value: string): Postings {
    return this.m.get(name)?.get(value) ?? EMPTY;
  }

  labelNames(): string[] {
    return [...this.m.keys()].sort();
  }

  labelValues(name: string): string[] {
    const values = this.m.get(name);
    return values ? [...values.keys()].sort() : [];
  }

  /** Iterates name -> value -> refs (for stats). */
  entries(): IterableIterator<[string, Map<string, number[]>]> {
    return this.m.entries();
  }

  /** Union of the lists of every value of name accepted by pred. */
  forValues(name: string, pred: (v: string) => boolean): Postings {
    const values = this.m.get(name);
    if (!values) return EMPTY;
    const lists: Postings[] = [];
    for (const [v, list] of values) if (pred(v)) lists.push(list);
    return merge(lists);
  }

  /** Series refs matching every matcher, sorted by ref (Prometheus' PostingsForMatchers). */
  forMatchers(matchers: readonly Matcher[]): Postings {
    const its: Postings[] = [];
    const notIts: Postings[] = [];
    for (const m of matchers) {
      if (m.matchesEverything()) continue;
      if (m.matchesEmpty()) {
        // Series lacking the label match too: take everything but the non-matching values.
        if (m.type === '!=') notIts.push(this.get(m.name, m.value));
        else notIts.push(this.forValues(m.name, (v) => !m.matches(v)));
      } else if (m.type === '=') {
        its.push(this.get(m.name, m.value));
      } else {
        const literals = m.literalValues();
        if (literals && (m.type === '=~')) its.push(merge(literals.map((v) => this.get(m.name, v))));
        else its.push(this.forValues(m.name, (v) => m.matches(v)));
      }
    }
    let res: Postings = its.length === 0 ? this.all : intersect(its);
    for (const n of notIts) {
      if (res.length === 0) break;
      res = subtract(res, n);
    }
    return res;
  }
}

const EMPTY: Postings = [];

function insertSorted(list: number[], ref: number): void {
  let i = list.length;
  if (i === 0 || list[i - 1]! < ref) {
    list.push(ref);
    return;
  }
  // Replayed or re-created series can arrive out of ref order.
  while (i > 0 && list[i - 1]! > ref) i--;
  if (list[i - 1] === ref) return;
  list.splice(i, 0, ref);
}

/** Intersection of sorted lists, smallest first. */
export function intersect(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return EMPTY;
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let res = sorted[0]!;
  for (let k = 1; k < sorted.length && res.length > 0; k++) {
    const b = sorted[k]!;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < res.length && j < b.length) {
      const x = res[i]!;
      const y = b[j]!;
      if (x === y) {
        out.push(x);
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    res = out;
  }
  return res;
}

/** Union of sorted lists, deduplicated. */
export function merge(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return EMPTY;
  if (lists.length === 1) return lists[0]!;
  let total = 0;
  for (const l of lists) total += l.length;
  const buf = new Float64Array(total);
  let k = 0;
  for (const l of lists) for (const r of l) buf[k++] = r;
  buf.sort();
  const out: number[] = [];
  for (let i = 0; i < total; i++) if (i === 0 || buf[i] !== buf[i - 1]) out.push(buf[i]!);
  return out;
}

/** Refs in a but not in b. */
export function subtract(a: Postings, b: Postings): Postings {
  if (b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) continue;
    out.push(x);
  }
  return out;
}
