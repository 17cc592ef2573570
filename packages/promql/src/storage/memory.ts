// A small, real in-memory storage implementing tsdb-core's Queryable: one sorted sample array
// per series. Used by the test-script runner, the tests and the benchmarks.
import { Labels, type Matcher, type Querier, type Queryable, type SampleIterator, type Series } from '@promethium/tsdb-core';

class MemSeries {
  ts: number[] = [];
  /** Float64Array keeps NaN payloads intact (plain arrays may rewrite the stale-marker NaN). */
  vs = new Float64Array(16);
  /** True when the series held native-histogram samples, which this storage does not keep. */
  hasHistograms = false;

  constructor(readonly labels: Labels) {}

  add(t: number, v: number): void {
    const n = this.ts.length;
    if (n === 0 || this.ts[n - 1]! < t) {
      if (n === this.vs.length) {
        const grown = new Float64Array(n * 2);
        grown.set(this.vs);
        this.vs = grown;
      }
      this.ts.push(t);
      this.vs[n] = v;
      return;
    }
    // Out-of-order or duplicate timestamp: insert or overwrite (the last write wins, as in a test load).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    if (this.ts[lo] === t) {
      this.vs[lo] = v;
      return;
    }
    const vs = new Float64Array(Math.max(this.vs.length, n + 1));
    vs.set(this.vs.subarray(0, lo));
    vs[lo] = v;
    vs.set(this.vs.subarray(lo, n), lo + 1);
    this.vs = vs;
    this.ts.splice(lo, 0, t);
  }
}

function lowerBound(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Iterates samples [start, n) of a series' arrays. */
class ArrayIterator implements SampleIterator {
  private i: number;
  constructor(
    private readonly ts: readonly number[],
    private readonly vs: Float64Array,
    private readonly start: number,
    private readonly n: number,
  ) {
    this.i = start - 1;
  }
  next(): boolean {
    return ++this.i < this.n;
  }
  seek(t: number): boolean {
    if (this.i < this.start) this.i = this.start;
    if (this.i < this.n && this.ts[this.i]! >= t) return true;
    let lo = this.i;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
    return lo < this.n;
  }
  at(): number {
    return this.ts[this.i]!;
  }
  value(): number {
    return this.vs[this.i]!;
  }
}

/** Raised when a query selects series whose native-histogram samples this storage cannot serve. */
export class NativeHistogramsUnsupportedError extends Error {
  constructor(series: Labels) {
    super(`series ${series.toString()} holds native histogram samples, which are not supported yet`);
    this.name = 'NativeHistogramsUnsupportedError';
  }
}

export class MemoryStorage implements Queryable {
  private readonly series = new Map<string, MemSeries>();
  private sorted: MemSeries[] | undefined;

  /** Appends a float sample; a sample at an existing timestamp replaces it. */
  add(labels: Labels, t: number, v: number): void {
    this.get(labels).add(t, v);
  }

  /** Records that a series carries native-histogram samples (queries touching it are rejected). */
  markHistogram(labels: Labels): void {
    this.get(labels).hasHistograms = true;
  }

  /** Drops all data. */
  clear(): void {
    this.series.clear();
    this.sorted = undefined;
  }

  get seriesCount(): number {
    return this.series.size;
  }

  private get(labels: Labels): MemSeries {
    const key = labels.key();
    let s = this.series.get(key);
    if (!s) {
      s = new MemSeries(labels);
      this.series.set(key, s);
      this.sorted = undefined;
    }
    return s;
  }

  querier(mint: number, maxt: number): Querier {
    this.sorted ??= [...this.series.values()].sort((a, b) => Labels.compare(a.labels, b.labels));
    const all = this.sorted;
    const select = (matchers: readonly Matcher[]): MemSeries[] =>
      all.filter((s) => matchers.every((m) => m.matches(s.labels.get(m.name))));
    return {
      select(matchers): Iterable<Series> {
        const out: Series[] = [];
        for (const s of select(matchers)) {
          if (s.hasHistograms) throw new NativeHistogramsUnsupportedError(s.labels);
          // Only samples inside [mint, maxt], as a TSDB querier would return them.
          const lo = lowerBound(s.ts, mint);
          const hi = lowerBound(s.ts, maxt + 1);
          if (hi === lo) continue;
          const { ts, vs } = s;
          out.push({ labels: s.labels, iterator: () => new ArrayIterator(ts, vs, lo, hi) });
        }
        return out;
      },
      labelNames(matchers) {
        const names = new Set<string>();
        for (const s of matchers ? select(matchers) : all) for (const n of s.labels.names()) names.add(n);
        return [...names].sort();
      },
      labelValues(name, matchers) {
        const vals = new Set<string>();
        for (const s of matchers ? select(matchers) : all) {
          const v = s.labels.get(name);
          if (v !== '') vals.add(v);
        }
        return [...vals].sort();
      },
      close() {},
    };
  }
}
