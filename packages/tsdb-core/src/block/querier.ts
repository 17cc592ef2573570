// Querier over one block (storage.ts Querier): postings planning by matchers, chunk
// pruning by time range and tombstones, and lazy chunk decoding per series.
import { XORChunk, ENC_XOR } from '../chunkenc/xor.js';
import type { XORIterator } from '../chunkenc/xor.js';
import type { Labels } from '../labels.js';
import type { Matcher } from '../matcher.js';
import type { Querier, SampleIterator, SelectHints, Series } from '../storage.js';
import { compareBytewise } from './encoding.js';
import { CorruptBlockError } from './errors.js';
import type { Block } from './block.js';
import type { ChunkReader } from './chunks.js';
import type { ChunkMeta } from './index-writer.js';
import { postingsForMatchers } from './postings.js';
import type { Interval } from './tombstones.js';
import { coveredBy } from './tombstones.js';

export class BlockQuerier implements Querier {
  private open = true;

  constructor(
    private readonly block: Block,
    readonly mint: number,
    readonly maxt: number,
  ) {
    block.acquire();
  }

  *select(matchers: readonly Matcher[], hints?: SelectHints): Generator<Series> {
    const mint = Math.max(this.mint, hints?.start ?? this.mint);
    const maxt = Math.min(this.maxt, hints?.end ?? this.maxt);
    if (mint > maxt || maxt < this.block.minTime || mint >= this.block.maxTime) return;
    const ir = this.block.index;
    for (const ref of postingsForMatchers(ir, matchers)) {
      const s = ir.series(ref);
      const dels = this.block.tombstones.get(ref);
      const chunks = s.chunks.filter((c) => c.maxt >= mint && c.mint <= maxt && !coveredBy(dels, c.mint, c.maxt));
      if (chunks.length === 0) continue;
      yield new BlockSeriesView(s.labels, chunks, this.block.chunks, mint, maxt, dels);
    }
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    const ir = this.block.index;
    if (!matchers || matchers.length === 0) return ir.labelNames();
    const names = new Set<string>();
    for (const ref of postingsForMatchers(ir, matchers)) for (const n of ir.series(ref).labels.names()) names.add(n);
    return [...names].sort(compareBytewise);
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    const ir = this.block.index;
    if (!matchers || matchers.length === 0) return ir.labelValues(name);
    const values = new Set<string>();
    for (const ref of postingsForMatchers(ir, matchers)) {
      const v = ir.series(ref).labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values].sort(compareBytewise);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.block.release();
  }
}

class BlockSeriesView implements Series {
  constructor(
    readonly labels: Labels,
    private readonly chunks: readonly ChunkMeta[],
    private readonly reader: ChunkReader,
    private readonly mint: number,
    private readonly maxt: number,
    private readonly dels: readonly Interval[] | undefined,
  ) {}

  iterator(): SampleIterator {
    return new BlockSeriesIterator(this.chunks, this.reader, this.mint, this.maxt, this.dels);
  }
}

/** Walks a series' chunks in order, skipping samples outside [mint, maxt] or deleted. */
export class BlockSeriesIterator implements SampleIterator {
  private ci = -1;
  private it: XORIterator | undefined;
  private done = false;
  private cur = false;

  constructor(
    private readonly chunks: readonly ChunkMeta[],
    private readonly reader: ChunkReader,
    private readonly mint: number,
    private readonly maxt: number,
    private readonly dels: readonly Interval[] | undefined,
  ) {}

  /** Positions a decoder at chunk i; false for chunks that hold no float samples (histograms). */
  private openChunk(i: number): boolean {
    const meta = this.chunks[i]!;
    const raw = this.reader.chunk(meta.ref);
    // The Series contract carries floats only: native histogram chunks (encodings 2 and 3)
    // in a Prometheus block are skipped rather than misread.
    if (raw.encoding !== ENC_XOR) {
      this.it = undefined;
      return false;
    }
    this.it = XORChunk.fromBytes(raw.data).iterator(this.it);
    return true;
  }

  private deleted(t: number): boolean {
    const d = this.dels;
    if (!d) return false;
    for (const iv of d) if (t >= iv.mint && t <= iv.maxt) return true;
    return false;
  }

  next(): boolean {
    this.cur = false;
    if (this.done) return false;
    for (;;) {
      if (this.it && this.it.next()) {
        const t = this.it.at();
        if (t < this.mint || this.deleted(t)) continue;
        if (t > this.maxt) break;
        this.cur = true;
        return true;
      }
      const err = this.it?.err();
      if (err) {
        const meta = this.chunks[this.ci]!;
        throw new CorruptBlockError(this.reader.dir, meta.ref, `chunk ref ${meta.ref}: ${err.message}`);
      }
      if (++this.ci >= this.chunks.length) break;
      this.openChunk(this.ci);
    }
    this.done = true;
    return false;
  }

  seek(t: number): boolean {
    if (this.done) return false;
    if (this.cur && this.it!.at() >= t) return true;
    if (this.ci < 0 || this.chunks[this.ci]!.maxt < t) {
      // Jump over whole chunks that end before t without decoding them.
      let j = Math.max(this.ci + 1, 0);
      while (j < this.chunks.length && this.chunks[j]!.maxt < t) j++;
      if (j >= this.chunks.length) {
        this.done = true;
        this.cur = false;
        return false;
      }
      this.ci = j;
      this.openChunk(j);
    }
    while (this.next()) if (this.it!.at() >= t) return true;
    return false;
  }

  at(): number {
    return this.it!.at();
  }

  value(): number {
    return this.it!.value();
  }
}
