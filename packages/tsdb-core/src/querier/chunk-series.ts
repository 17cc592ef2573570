// A series backed by a list of XOR chunks in time order (head or block), iterated within
// [mint, maxt]. The chunk views are captured when the querier selects, so appends that
// happen while a query iterates are not seen: a consistent view without locks.
import { XORIterator } from '../chunkenc/xor.js';
import type { ChunkView } from '../head/series.js';
import type { Labels } from '../labels.js';
import type { SampleIterator, Series } from '../storage.js';

/** A deleted time range (inclusive), from a tombstone. */
export interface Interval {
  readonly mint: number;
  readonly maxt: number;
}

export class ChunkSeries implements Series {
  readonly labels: Labels;
  readonly chunks: readonly ChunkView[];
  private readonly mint: number;
  private readonly maxt: number;
  private readonly deleted: readonly Interval[] | undefined;

  constructor(labels: Labels, chunks: readonly ChunkView[], mint: number, maxt: number, deleted?: readonly Interval[]) {
    this.labels = labels;
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted && deleted.length > 0 ? deleted : undefined;
  }

  iterator(): SampleIterator {
    return new ChunksIterator(this.chunks, this.mint, this.maxt, this.deleted);
  }
}

/** Iterates the samples of non-overlapping chunks in time order, clipped to [mint, maxt]. */
export class ChunksIterator implements SampleIterator {
  private readonly chunks: readonly ChunkView[];
  private readonly mint: number;
  private readonly maxt: number;
  private ci = 0;
  private readonly it = new XORIterator();
  private open = false;
  private t = 0;
  private v = 0;
  private readonly deleted: readonly Interval[] | undefined;

  constructor(chunks: readonly ChunkView[], mint: number, maxt: number, deleted?: readonly Interval[]) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted;
  }

  private isDeleted(t: number): boolean {
    for (const d of this.deleted!) if (t >= d.mint && t <= d.maxt) return true;
    return false;
  }

  private openChunk(): void {
    const c = this.chunks[this.ci]!;
    this.it.reset(c.bytes, c.numSamples);
    this.open = true;
  }

  private finish(): boolean {
    this.ci = this.chunks.length;
    this.open = false;
    return false;
  }

  private take(): boolean {
    const t = this.it.at();
    if (t > this.maxt) return this.finish();
    this.t = t;
    this.v = this.it.value();
    return true;
  }

  next(): boolean {
    while (this.ci < this.chunks.length) {
      if (!this.open) {
        if (this.chunks[this.ci]!.maxT < this.mint) {
          this.ci++;
          continue;
        }
        this.openChunk();
      }
      while (this.it.next()) {
        const t = this.it.at();
        if (t < this.mint) continue;
        if (this.deleted !== undefined && t <= this.maxt && this.isDeleted(t)) continue;
        return this.take();
      }
      const err = this.it.err();
      if (err) throw err;
      this.open = false;
      this.ci++;
    }
    return false;
  }

  seek(t: number): boolean {
    if (t < this.mint) t = this.mint;
    if (this.open && this.t >= t) return true;
    while (this.ci < this.chunks.length) {
      if (!this.open) {
        if (this.chunks[this.ci]!.maxT < t) {
          this.ci++;
          continue;
        }
        this.openChunk();
      }
      if (this.it.seek(t)) {
        const at = this.it.at();
        if (this.deleted !== undefined && at <= this.maxt && this.isDeleted(at)) return this.next();
        return this.take();
      }
      const err = this.it.err();
      if (err) throw err;
      this.open = false;
      this.ci++;
    }
    return false;
  }

  at(): number {
    return this.t;
  }

  value(): number {
    return this.v;
  }
}
