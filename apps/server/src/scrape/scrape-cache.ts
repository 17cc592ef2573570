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

/**
 * A list of entries that keeps its storage from scrape to scrape. A JS array cut to length 0
 * drops its backing store; regrown to a thousand pointers it then lives a whole interval, is
 * promoted to the old generation and becomes old-space garbage at the next scrape: per target
 * and scrape, the main source of the major GCs a steady scrape load caused.
 */
export class EntryList {
  private items: (CacheEntry | undefined)[] = [];
  length = 0;

  /** The entry at i, or undefined past the end. */
  at(i: number): CacheEntry | undefined {
    return i < this.length ? this.items[i] : undefined;
  }

  push(e: CacheEntry): void {
    if (this.length < this.items.length) this.items[this.length++] = e;
    else {
      this.items.push(e);
      this.length++;
    }
  }

  /** Empties the list; with `release`, also lets go of the entries it held. */
  clear(release = false): void {
    if (release) this.items.fill(undefined);
    this.length = 0;
  }

  /** Drops references past the end (entries that may since have been evicted). */
  releaseTail(): void {
    for (let i = this.length; i < this.items.length && this.items[i] !== undefined; i++) this.items[i] = undefined;
  }

  toArray(): CacheEntry[] {
    return this.items.slice(0, this.length) as CacheEntry[];
  }
}

export class ScrapeCache {
  readonly series = new Map<string, CacheEntry>();
  /**
   * The entries of the last successful text scrape, line by line: targets expose the same
   * series in the same order every time, so the next scrape's parser is told which series
   * text to expect on each line and skips reading names and labels when it matches.
   */
  order = new EntryList();
  /** The list before `order`, reused for the next scrape's order. */
  private spare = new EntryList();
  /** Current iteration; entries seen in it have lastIter === iter. */
  iter = 0;
  /** Entries first seen or re-seen this iteration (to undo on a failed scrape). */
  private readonly touched = new EntryList();

  /** An empty list to collect this scrape's order in. */
  newOrder(): EntryList {
    this.spare.clear();
    return this.spare;
  }

  /** Makes `order` (from newOrder) the hints for the next scrape. */
  setOrder(order: EntryList): void {
    order.releaseTail();
    this.spare = this.order;
    this.order = order;
  }

  /** No hints for the next scrape. */
  clearOrder(): void {
    this.order.clear(true);
  }

  beginIteration(): void {
    this.iter++;
    this.touched.clear();
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

  // The walks below use Map.forEach: a generator over map.values() made an iterator result
  // object per series per scrape, a sixth of everything the scrape path allocated.

  /** Calls fn for each series seen in the previous iteration but not this one, that staleness applies to. */
  disappeared(trackExplicit: boolean, fn: (e: CacheEntry) => void): void {
    this.walkSeen(this.iter - 1, trackExplicit, fn);
  }

  private walkSeen(iter: number, trackExplicit: boolean, fn: (e: CacheEntry) => void): void {
    this.series.forEach((e) => {
      if (e.lastIter === iter && e.labels && (trackExplicit || !e.explicitTs)) fn(e);
    });
  }

  /**
   * After a failed scrape: every series of the previous successful scrape goes stale, and this
   * iteration counts as having seen nothing.
   */
  failIteration(trackExplicit: boolean, fn: (e: CacheEntry) => void): void {
    for (let i = 0; i < this.touched.length; i++) {
      const e = this.touched.at(i)!;
      e.lastIter = e.prevIter;
    }
    this.touched.clear();
    this.walkSeen(this.iter - 1, trackExplicit, fn);
  }

  /** Forgets an iteration that was cut short (loop stopped mid-scrape), as if it never began. */
  abandonIteration(): void {
    for (let i = 0; i < this.touched.length; i++) {
      const e = this.touched.at(i)!;
      e.lastIter = e.prevIter;
    }
    this.touched.clear();
    this.iter--;
  }

  /** Calls fn for each series seen in the last iteration (for end-of-run staleness). */
  current(trackExplicit: boolean, fn: (e: CacheEntry) => void): void {
    this.walkSeen(this.iter, trackExplicit, fn);
  }

  /** Drops entries unseen for a while, so churned series do not pin memory. */
  evict(): void {
    if (this.iter % EVICT_AFTER_ITERS !== 0) return;
    this.touched.releaseTail();
    this.spare.releaseTail();
    this.series.forEach((e, k) => {
      if (this.iter - e.lastIter <= EVICT_AFTER_ITERS) return;
      this.series.delete(k);
      // Hints must only lead to entries in the map (staleness walks the map): after failed
      // scrapes evicted part of the last good one, the next scrape is read without hints.
      if (this.order.at(e.pos) === e) this.clearOrder();
    });
  }
}
