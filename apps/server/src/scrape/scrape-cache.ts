// Per-target series cache: raw exposed series text -> final labels and storage ref, plus the
// bookkeeping that finds series which disappeared since the last scrape (staleness markers).
import type { Labels, SeriesRef } from '@promethium/tsdb-core';

export interface CacheEntry {
  /** The raw series text it is cached under, and the sample name in it. */
  readonly key: string;
  readonly name: string;
  /** Index in `order` of the scrape that last saw it. */
  pos: number;
  ref: SeriesRef;
  /** Undefined when metric relabeling drops the series. */
  labels: Labels | undefined;
  /** Iteration this series was last seen in, and the one before that. */
  lastIter: number;
  prevIter: number;
  /** Sample carried its own timestamp: Prometheus writes no staleness markers for those. */
  explicitTs: boolean;
}

const EVICT_AFTER_ITERS = 10;

export class ScrapeCache {
  readonly series = new Map<string, CacheEntry>();
  /**
   * The entries of the last successful text scrape, line by line: targets expose the same
   * series in the same order every time, so the next scrape's parser is told which series
   * text to expect on each line and skips reading names and labels when it matches.
   */
  order: CacheEntry[] = [];
  /** The array before `order`, reused for the next scrape's order (one less allocation per scrape). */
  private spare: CacheEntry[] = [];
  /** Current iteration; entries seen in it have lastIter === iter. */
  iter = 0;
  /** Entries first seen or re-seen this iteration (to undo on a failed scrape). */
  private touched: CacheEntry[] = [];

  /** An empty array to collect this scrape's order in. */
  newOrder(): CacheEntry[] {
    this.spare.length = 0;
    return this.spare;
  }

  /** Makes `order` (from newOrder) the hints for the next scrape. */
  setOrder(order: CacheEntry[]): void {
    this.spare = this.order;
    this.order = order;
  }

  beginIteration(): void {
    this.iter++;
    this.touched.length = 0;
  }

  /** Records that `e` was seen now; false if it was already seen this iteration (a duplicate). */
  see(e: CacheEntry, explicitTs: boolean): boolean {
    if (e.lastIter === this.iter) return false;
    e.prevIter = e.lastIter;
    e.lastIter = this.iter;
    e.explicitTs = explicitTs;
    this.touched.push(e);
    return true;
  }

  /** Series seen in the previous iteration but not this one, that staleness applies to. */
  *disappeared(trackExplicit: boolean): Generator<CacheEntry> {
    const prev = this.iter - 1;
    for (const e of this.series.values()) {
      if (e.lastIter === prev && e.labels && (trackExplicit || !e.explicitTs)) yield e;
    }
  }

  /**
   * After a failed scrape: every series of the previous successful scrape goes stale, and this
   * iteration counts as having seen nothing.
   */
  *failIteration(trackExplicit: boolean): Generator<CacheEntry> {
    const prev = this.iter - 1;
    for (const e of this.touched) {
      e.lastIter = e.prevIter;
    }
    this.touched.length = 0;
    for (const e of this.series.values()) {
      if (e.lastIter === prev && e.labels && (trackExplicit || !e.explicitTs)) yield e;
    }
  }

  /** Forgets an iteration that was cut short (loop stopped mid-scrape), as if it never began. */
  abandonIteration(): void {
    for (const e of this.touched) e.lastIter = e.prevIter;
    this.touched.length = 0;
    this.iter--;
  }

  /** Series seen in the last iteration (for end-of-run staleness). */
  *current(trackExplicit: boolean): Generator<CacheEntry> {
    for (const e of this.series.values()) {
      if (e.lastIter === this.iter && e.labels && (trackExplicit || !e.explicitTs)) yield e;
    }
  }

  /** Drops entries unseen for a while, so churned series do not pin memory. */
  evict(): void {
    if (this.iter % EVICT_AFTER_ITERS !== 0) return;
    for (const [k, e] of this.series) {
      if (this.iter - e.lastIter <= EVICT_AFTER_ITERS) continue;
      this.series.delete(k);
      // Hints must only lead to entries in the map (staleness walks the map): after failed
      // scrapes evicted part of the last good one, the next scrape is read without hints.
      if (this.order[e.pos] === e) this.order = [];
    }
  }
}
