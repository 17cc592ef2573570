// Querier over the head: matchers resolve through postings, each series' chunks are captured
// at select time, and results are sorted by labels as the Querier contract requires.
import { Labels } from '../labels.js';
import type { Matcher } from '../matcher.js';
import { ChunkSeries } from '../querier/chunk-series.js';
import type { Querier, SelectHints, Series } from '../storage.js';
import type { Head } from './head.js';
import type { MemSeries } from './series.js';

export class HeadQuerier implements Querier {
  private readonly head: Head;
  private readonly mint: number;
  private readonly maxt: number;

  constructor(head: Head, mint: number, maxt: number) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
  }

  select(matchers: readonly Matcher[], _hints?: SelectHints): Iterable<Series> {
    const out: ChunkSeries[] = [];
    for (const s of this.head.seriesFor(matchers)) {
      const chunks = s.chunks(this.mint, this.maxt);
      if (chunks.length > 0) {
        out.push(new ChunkSeries(s.labels, chunks, this.mint, this.maxt, this.head.tombstones.get(s.ref)));
      }
    }
    out.sort((a, b) => Labels.compare(a.labels, b.labels));
    return out;
  }

  /** Series with data in the querier's range that match, or all when no matchers are given. */
  private matching(matchers: readonly Matcher[]): MemSeries[] {
    return this.head.seriesFor(matchers).filter((s) => s.maxT >= this.mint && s.minTime() <= this.maxt);
  }

  private overlaps(): boolean {
    return this.head.maxTime >= this.mint && this.head.minTime <= this.maxt;
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    if (!this.overlaps()) return [];
    if (!matchers || matchers.length === 0) return this.head.postings.labelNames();
    const names = new Set<string>();
    for (const s of this.matching(matchers)) s.labels.forEach((n) => names.add(n));
    return [...names].sort();
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    if (!this.overlaps()) return [];
    if (!matchers || matchers.length === 0) return this.head.postings.labelValues(name);
    const values = new Set<string>();
    for (const s of this.matching(matchers)) {
      const v = s.labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values].sort();
  }

  close(): void {
    // Nothing is pinned: chunk views are plain references.
  }
}
