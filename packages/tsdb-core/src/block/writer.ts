// Writes a complete block directory the way Prometheus does: everything goes into
// <dir>/<ulid>.tmp-for-creation (chunks/, index, tombstones, meta.json, each fsynced),
// which is then renamed to <dir>/<ulid>. A crash leaves either no block or a whole one;
// leftover .tmp-for-creation directories are ignored and removed by openers.
import { mkdirSync, openSync, fsyncSync, closeSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkWriter } from './chunks.js';
import type { ChunkMeta, IndexSeries } from './index-writer.js';
import { compareLabels, encodeIndexSteps } from './index-writer.js';
import type { BlockMeta, BlockMetaCompaction } from './meta.js';
import { META_VERSION, formatMeta, META_FILENAME } from './meta.js';
import type { BlockSeries } from './series-chunks.js';
import { chunkSampleCount } from './series-chunks.js';
import type { Steps } from './steps.js';
import { STEP_UNITS, runAsync, runSync } from './steps.js';
import { Tombstones, writeTombstones } from './tombstones.js';
import { ulid as newUlid } from './ulid.js';

export const TMP_FOR_CREATION = '.tmp-for-creation';

export interface WriteBlockOptions {
  /** Block time range: minTime inclusive, maxTime exclusive (as meta.json). */
  mint: number;
  maxt: number;
  ulid?: string;
  /** Defaults to level 1 with the block itself as the only source. */
  compaction?: BlockMetaCompaction;
  segmentSize?: number;
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `series` (any order; series without chunks are skipped) as a new block under
 * `dir` and returns its meta. Chunks must lie within [mint, maxt).
 */
export function writeBlock(dir: string, series: Iterable<BlockSeries>, opts: WriteBlockOptions): BlockMeta {
  return runSync(writeBlockSteps(dir, series, opts));
}

/** writeBlock that yields to the event loop every ~10 ms of work (for servers). */
export function writeBlockAsync(dir: string, series: Iterable<BlockSeries>, opts: WriteBlockOptions): Promise<BlockMeta> {
  return runAsync(writeBlockSteps(dir, series, opts));
}

/** writeBlock as resumable steps (see steps.ts). */
export function* writeBlockSteps(dir: string, series: Iterable<BlockSeries>, opts: WriteBlockOptions): Steps<BlockMeta> {
  if (!(opts.maxt > opts.mint)) throw new Error(`writeBlock: maxt ${opts.maxt} must be after mint ${opts.mint}`);
  const id = opts.ulid ?? newUlid();
  const list: BlockSeries[] = [];
  let seen = 0;
  for (const s of series) {
    if (s.chunks.length > 0) list.push(s);
    if (++seen % STEP_UNITS === 0) yield;
  }
  // Compaction hands series over already sorted; only sort when needed.
  let sorted = true;
  for (let i = 1; i < list.length && sorted; i++) if (compareLabels(list[i - 1]!.labels, list[i]!.labels) >= 0) sorted = false;
  if (!sorted) list.sort((a, b) => compareLabels(a.labels, b.labels));
  const tmp = join(dir, id + TMP_FOR_CREATION);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const cw = new ChunkWriter(join(tmp, 'chunks'), opts.segmentSize);
    const indexSeries: IndexSeries[] = [];
    let numSamples = 0;
    let numChunks = 0;
    for (const s of list) {
      if (indexSeries.length % STEP_UNITS === 0) yield;
      const metas: ChunkMeta[] = [];
      for (const c of s.chunks) {
        if (c.mint < opts.mint || c.maxt >= opts.maxt) {
          throw new Error(
            `writeBlock: chunk [${c.mint}, ${c.maxt}] of ${s.labels.toString()} outside block range [${opts.mint}, ${opts.maxt})`,
          );
        }
        metas.push({ ref: cw.write(c.encoding, c.data), mint: c.mint, maxt: c.maxt });
        numSamples += chunkSampleCount(c.data);
        numChunks++;
      }
      indexSeries.push({ labels: s.labels, chunks: metas });
    }
    cw.close();
    const indexFile = join(tmp, 'index');
    writeFileSync(indexFile, yield* encodeIndexSteps(indexSeries));
    fsyncFile(indexFile);
    writeTombstones(tmp, new Tombstones());
    const meta: BlockMeta = {
      ulid: id,
      minTime: opts.mint,
      maxTime: opts.maxt,
      stats: { numSamples, numSeries: indexSeries.length, numChunks },
      compaction: opts.compaction ?? { level: 1, sources: [id] },
      version: META_VERSION,
    };
    const metaFile = join(tmp, META_FILENAME);
    writeFileSync(metaFile, formatMeta(meta));
    fsyncFile(metaFile);
    fsyncDir(tmp);
    const final = join(dir, id);
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
    fsyncDir(dir);
    return meta;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
