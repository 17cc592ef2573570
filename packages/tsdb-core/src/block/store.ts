// The block layer behind the DB (db.ts BlockStore): persists head ranges as blocks, serves
// queriers over the blocks, runs compaction and retention after each new block, and
// deletes/cleans through tombstones. Queriers keep the Block objects they were given; block
// readers hold their files' bytes, so compaction deleting a directory never disturbs a query
// in flight.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENC_XOR, XORChunk } from '../chunkenc/xor.js';
import type { BlockStore } from '../db.js';
import type { Head } from '../head/head.js';
import type { Logger } from '../logger.js';
import { nopLogger } from '../logger.js';
import type { Matcher } from '../matcher.js';
import { MergeQuerier } from '../querier/merge.js';
import { applyRetention } from '../retention.js';
import type { RetentionOptions } from '../retention.js';
import type { Querier } from '../storage.js';
import { cleanTombstones } from '../compact/clean.js';
import { compactDir } from '../compact/compactor.js';
import { DEFAULT_BLOCK_DURATION, exponentialBlockRanges } from '../compact/planner.js';
import { Block, dirSize } from './block.js';
import { listBlockDirs, removeTmpDirs } from './list.js';
import type { BlockChunk, BlockSeries } from './series-chunks.js';
import { chunksFromSamples } from './series-chunks.js';
import { snapshotBlocks } from './snapshot.js';
import type { Steps } from './steps.js';
import { STEP_UNITS, runAsync, runSync } from './steps.js';
import { writeBlock, writeBlockAsync } from './writer.js';

export interface FileBlockStoreOptions {
  retention?: RetentionOptions;
  /**
   * Compaction ranges. Default: the head's block duration times 1, 3, 9, ... (10 steps; 2h,
   * 6h, 18h, ... for the usual 2h), as Prometheus derives them. Fewer than two disables compaction.
   */
  ranges?: readonly number[];
}

export class FileBlockStore implements BlockStore {
  private blocks: Block[] = [];
  /** Duration of the blocks cut from the head, learnt from writeBlock. */
  private blockRange = DEFAULT_BLOCK_DURATION;

  private constructor(
    readonly dir: string,
    private readonly logger: Logger,
    private readonly opts: FileBlockStoreOptions,
  ) {}

  static async open(dir: string, logger: Logger = nopLogger, opts: FileBlockStoreOptions = {}): Promise<FileBlockStore> {
    const s = new FileBlockStore(dir, logger, opts);
    for (const name of removeTmpDirs(dir)) logger.warn('removed leftover directory of an interrupted block write', { dir: name });
    await s.reload();
    return s;
  }

  /** Re-reads the block list from disk, reusing open blocks and closing vanished or replaced ones. */
  async reload(): Promise<void> {
    const byUlid = new Map(this.blocks.map((b) => [b.ulid, b]));
    const next: Block[] = [];
    for (const { dir, meta } of await listBlockDirs(this.dir)) {
      const have = byUlid.get(meta.ulid);
      if (have && have.meta.stats.numTombstones === meta.stats.numTombstones) {
        next.push(have);
        byUlid.delete(meta.ulid);
      } else {
        next.push(await Block.open(dir));
      }
    }
    // Closing waits for queriers still reading them (Block.close is deferred).
    for (const gone of byUlid.values()) gone.close();
    this.blocks = next;
  }

  /** Open blocks, oldest first. */
  list(): readonly Block[] {
    return this.blocks;
  }

  maxTime(): number {
    let m = -Infinity;
    for (const b of this.blocks) if (b.maxTime > m) m = b.maxTime;
    return m;
  }

  async writeBlock(head: Head, mint: number, maxt: number): Promise<void> {
    this.blockRange = maxt - mint;
    const start = performance.now();
    const series = await runAsync(headSeriesSteps(head, mint, maxt));
    if (series.length === 0) {
      this.logger.info('head range empty, no block written', { mint, maxt });
      return;
    }
    const meta = await writeBlockAsync(this.dir, series, { mint, maxt });
    this.blocks.push(await Block.open(join(this.dir, meta.ulid)));
    this.blocks.sort((a, b) => a.minTime - b.minTime);
    this.logger.info('write block', {
      ulid: meta.ulid,
      mint,
      maxt,
      series: meta.stats.numSeries,
      samples: meta.stats.numSamples,
      duration_ms: Math.round(performance.now() - start),
    });
  }

  querier(mint: number, maxt: number): Querier | undefined {
    const qs = this.blocks.filter((b) => b.minTime <= maxt && b.maxTime > mint).map((b) => b.querier(mint, maxt));
    if (qs.length === 0) return undefined;
    return qs.length === 1 ? qs[0]! : new MergeQuerier(qs);
  }

  /** Compaction (if ranges allow), then retention. */
  async compact(): Promise<void> {
    const ranges = this.opts.ranges ?? exponentialBlockRanges(this.blockRange, 10, 3);
    if (ranges.length > 1) {
      for (const m of await compactDir(this.dir, { ranges })) {
        this.logger.info('compact blocks', { ulid: m.ulid, level: m.compaction.level, sources: m.compaction.sources?.length });
      }
    }
    if (this.opts.retention) {
      const r = this.opts.retention;
      // Size retention counts the WAL too, as Prometheus counts its head.
      const headBytes = r.maxBytes && r.headBytes === undefined ? walBytes(this.dir) : r.headBytes;
      const gone = await applyRetention(this.dir, { ...r, headBytes });
      if (gone.length > 0) this.logger.info('deleting blocks beyond retention', { blocks: gone.join(',') });
    }
    await this.reload();
  }

  /** Tombstones [mint, maxt] of the matching series in every block; returns series marked. */
  async delete(mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
    let n = 0;
    for (const b of this.blocks) if (b.minTime <= maxt && b.maxTime > mint) n += await b.delete(mint, maxt, matchers);
    return n;
  }

  async cleanTombstones(): Promise<void> {
    await cleanTombstones(this.dir);
    await this.reload();
  }

  /**
   * Hard-links every block into dst and, given the head, also writes the head's data there
   * as one more block (Prometheus' snapshot with skip_head=false). Returns the ULIDs in dst.
   */
  async snapshot(dst: string, head?: Head): Promise<string[]> {
    const ids = await snapshotBlocks(this.dir, dst);
    if (head && head.maxTime !== -Infinity) {
      const mint = head.minTime;
      const maxt = head.maxTime + 1;
      const series = headSeries(head, mint, maxt);
      if (series.length > 0) ids.push(writeBlock(dst, series, { mint, maxt }).ulid);
    }
    return ids;
  }

  async close(): Promise<void> {
    for (const b of this.blocks) b.close();
    this.blocks = [];
  }
}

function walBytes(dir: string): number {
  const wal = join(dir, 'wal');
  return existsSync(wal) ? dirSize(wal) : 0;
}

/**
 * The head's series restricted to [mint, maxt): closed chunks inside the range are copied,
 * chunks straddling it or touched by head tombstones are re-encoded from their samples.
 */
export function headSeries(head: Head, mint: number, maxt: number): BlockSeries[] {
  return runSync(headSeriesSteps(head, mint, maxt));
}

export function* headSeriesSteps(head: Head, mint: number, maxt: number): Steps<BlockSeries[]> {
  const series: BlockSeries[] = [];
  let n = 0;
  for (const s of head.allSeries()) {
    if (++n % STEP_UNITS === 0) yield;
    const dels = head.tombstones.get(s.ref);
    const chunks: BlockChunk[] = [];
    const ts: number[] = [];
    const vs: number[] = [];
    for (const c of s.chunks(mint, maxt - 1)) {
      // Copy the bytes and pin the sample count: the view may share the open chunk's buffer.
      const data = c.bytes.slice();
      data[0] = c.numSamples >>> 8;
      data[1] = c.numSamples & 0xff;
      const clean = c.minT >= mint && c.maxT < maxt && !(dels && dels.some((d) => d.mint <= c.maxT && c.minT <= d.maxt));
      if (clean && ts.length === 0) {
        chunks.push({ mint: c.minT, maxt: c.maxT, encoding: ENC_XOR, data });
        continue;
      }
      const it = XORChunk.fromBytes(data).iterator();
      while (it.next()) {
        const t = it.at();
        if (t < mint || t >= maxt || (dels && dels.some((d) => t >= d.mint && t <= d.maxt))) continue;
        ts.push(t);
        vs.push(it.value());
      }
    }
    if (ts.length > 0) chunks.push(...chunksFromSamples(ts, vs));
    if (chunks.length > 0) series.push({ labels: s.labels, chunks });
  }
  return series;
}

/** For DBOptions.blocks: `openDB(dir, { blocks: fileBlockStore({ retention }) })`. */
export function fileBlockStore(opts: FileBlockStoreOptions = {}): (dir: string, logger: Logger) => Promise<BlockStore> {
  return (dir, logger) => FileBlockStore.open(dir, logger, opts);
}
