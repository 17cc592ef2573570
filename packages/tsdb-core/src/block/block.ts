// A persisted block opened for reading: meta.json, index, chunk segments and tombstones.
// Blocks are immutable except for tombstones (deletions) and meta.json's stats, both
// rewritten atomically.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Matcher } from '../matcher.js';
import { ChunkReader } from './chunks.js';
import { IndexReader } from './index-reader.js';
import type { ChunkMeta } from './index-writer.js';
import type { BlockMeta } from './meta.js';
import { readMeta, writeMeta } from './meta.js';
import { postingsForMatchers } from './postings.js';
import { BlockQuerier } from './querier.js';
import type { Tombstones } from './tombstones.js';
import { readTombstones, writeTombstones } from './tombstones.js';
import type { Labels } from '../labels.js';

export interface IndexedSeries {
  /** Series ID in this block's index (offset / 16). */
  ref: number;
  labels: Labels;
  chunks: ChunkMeta[];
}

export class Block {
  private constructor(
    readonly dir: string,
    public meta: BlockMeta,
    readonly index: IndexReader,
    readonly chunks: ChunkReader,
    public tombstones: Tombstones,
  ) {}

  static async open(dir: string): Promise<Block> {
    const meta = await readMeta(dir);
    const index = new IndexReader(join(dir, 'index'));
    let chunks: ChunkReader | undefined;
    try {
      chunks = new ChunkReader(join(dir, 'chunks'));
      return new Block(dir, meta, index, chunks, readTombstones(dir));
    } catch (e) {
      index.close();
      chunks?.close();
      throw e;
    }
  }

  get ulid(): string {
    return this.meta.ulid;
  }

  get minTime(): number {
    return this.meta.minTime;
  }

  get maxTime(): number {
    return this.meta.maxTime;
  }

  /** Querier over [mint, maxt] (inclusive) of this block. */
  querier(mint: number, maxt: number): BlockQuerier {
    return new BlockQuerier(this, mint, maxt);
  }

  /** Every series in label order, with its chunk metas. */
  *series(): Generator<IndexedSeries> {
    for (const ref of this.index.allPostings()) {
      const s = this.index.series(ref);
      yield { ref, labels: s.labels, chunks: s.chunks };
    }
  }

  /** Bytes on disk: meta.json, index, tombstones and chunk segments. */
  size(): number {
    return dirSize(this.dir);
  }

  /**
   * Marks [mint, maxt] of every series matching `matchers` as deleted (Prometheus'
   * Block.Delete): tombstones are merged with the existing ones and written atomically.
   * Returns the number of series that got a tombstone.
   */
  async delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
    const next = readTombstones(this.dir);
    let n = 0;
    for (const ref of postingsForMatchers(this.index, matchers)) {
      const { chunks } = this.index.series(ref);
      if (!chunks.some((c) => c.mint <= maxt && mint <= c.maxt)) continue;
      // Clamp to the data the series has, as Prometheus does.
      const first = chunks[0]!.mint;
      const last = chunks[chunks.length - 1]!.maxt;
      next.add(ref, { mint: Math.max(mint, first), maxt: Math.min(maxt, last) });
      n++;
    }
    if (n === 0) return 0;
    writeTombstones(this.dir, next);
    this.tombstones = next;
    this.meta = { ...this.meta, stats: { ...this.meta.stats, numTombstones: next.total() } };
    await writeMeta(this.dir, this.meta);
    return n;
  }

  private readers = 0;
  private closing = false;
  private closed = false;

  /** Called by queriers: the block's files stay open until every reader released it. */
  acquire(): void {
    if (this.closed || this.closing) throw new Error(`block ${this.ulid} is closed`);
    this.readers++;
  }

  release(): void {
    this.readers--;
    if (this.closing && this.readers === 0) this.doClose();
  }

  /** Closes the block once the last querier over it is closed (compaction may delete it meanwhile). */
  close(): void {
    this.closing = true;
    if (this.readers === 0) this.doClose();
  }

  private doClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.index.close();
    this.chunks.close();
  }
}

export function openBlock(dir: string): Promise<Block> {
  return Block.open(dir);
}

export function dirSize(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += dirSize(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}
