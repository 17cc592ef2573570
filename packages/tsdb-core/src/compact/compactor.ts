// Merges blocks into one (Prometheus' LeveledCompactor.Compact): series are merged by label
// set across the inputs; chunks that neither overlap nor carry tombstones are copied as-is,
// the others are decoded, cleaned of deleted samples, de-duplicated by timestamp and
// re-encoded into chunks of 120 samples. The new meta.json records level = max(parents)+1,
// the union of sources and the parents.
import { XORChunk, ENC_XOR } from '../chunkenc/xor.js';
import type { Labels } from '../labels.js';
import type { Block } from '../block/block.js';
import { openBlock } from '../block/block.js';
import type { ChunkMeta } from '../block/index-writer.js';
import { compareLabels } from '../block/index-writer.js';
import { deleteBlockDir, listBlockDirs } from '../block/list.js';
import type { BlockMeta, BlockMetaCompaction } from '../block/meta.js';
import { writeMeta } from '../block/meta.js';
import type { BlockChunk, BlockSeries } from '../block/series-chunks.js';
import { chunksFromSamples } from '../block/series-chunks.js';
import type { Interval } from '../block/tombstones.js';
import { ulid as newUlid } from '../block/ulid.js';
import { writeBlockSteps } from '../block/writer.js';
import type { Steps } from '../block/steps.js';
import { STEP_UNITS, runAsync, runSync } from '../block/steps.js';
import { DEFAULT_BLOCK_DURATION, exponentialBlockRanges, plan } from './planner.js';

/** Lineage of a block made from `parents` (Prometheus' CompactBlockMetas). */
export function compactBlockMetas(parents: readonly BlockMeta[]): { minTime: number; maxTime: number; compaction: BlockMetaCompaction } {
  let minTime = Infinity;
  let maxTime = -Infinity;
  let level = 0;
  const sources = new Set<string>();
  for (const p of parents) {
    minTime = Math.min(minTime, p.minTime);
    maxTime = Math.max(maxTime, p.maxTime);
    level = Math.max(level, p.compaction.level);
    for (const s of p.compaction.sources ?? [p.ulid]) sources.add(s);
  }
  return {
    minTime,
    maxTime,
    compaction: {
      level: level + 1,
      sources: [...sources].sort(),
      parents: parents.map((p) => ({ ulid: p.ulid, minTime: p.minTime, maxTime: p.maxTime })),
    },
  };
}

interface Part {
  block: Block;
  chunk: ChunkMeta;
  dels: readonly Interval[] | undefined;
}

function overlapsDeletion(dels: readonly Interval[] | undefined, c: ChunkMeta): boolean {
  return !!dels && dels.some((iv) => iv.mint <= c.maxt && c.mint <= iv.maxt);
}

/** Merges one series' chunks from several blocks into clean, non-overlapping chunks. */
function mergeChunks(parts: Part[]): BlockChunk[] {
  parts.sort((a, b) => a.chunk.mint - b.chunk.mint);
  let dirty = false;
  for (let i = 0; i < parts.length && !dirty; i++) {
    if (overlapsDeletion(parts[i]!.dels, parts[i]!.chunk)) dirty = true;
    if (i > 0 && parts[i]!.chunk.mint <= parts[i - 1]!.chunk.maxt) dirty = true;
  }
  if (!dirty) {
    return parts.map(({ block, chunk }) => {
      const raw = block.chunks.chunk(chunk.ref);
      return { mint: chunk.mint, maxt: chunk.maxt, encoding: raw.encoding, data: raw.data };
    });
  }
  const samples: [number, number][] = [];
  for (const { block, chunk, dels } of parts) {
    const raw = block.chunks.chunk(chunk.ref);
    if (raw.encoding !== ENC_XOR) throw new Error(`compaction: cannot merge chunk encoding ${raw.encoding} in ${block.dir}`);
    const it = XORChunk.fromBytes(raw.data).iterator();
    while (it.next()) {
      const t = it.at();
      if (dels && dels.some((iv) => t >= iv.mint && t <= iv.maxt)) continue;
      samples.push([t, it.value()]);
    }
    const err = it.err();
    if (err) throw new Error(`compaction: ${block.dir}: chunk ref ${chunk.ref}: ${err.message}`);
  }
  // Stable sort keeps the sample from the earlier part on equal timestamps.
  samples.sort((a, b) => a[0] - b[0]);
  const ts: number[] = [];
  const vs: number[] = [];
  for (const [t, v] of samples) {
    if (ts.length > 0 && ts[ts.length - 1] === t) continue;
    ts.push(t);
    vs.push(v);
  }
  return chunksFromSamples(ts, vs);
}

/** K-way merge of the blocks' series by label set. */
function* mergeSeries(blocks: readonly Block[]): Generator<BlockSeries> {
  const its = blocks.map((b) => b.series());
  const heads = its.map((it) => it.next());
  for (;;) {
    let min: Labels | undefined;
    for (const h of heads) if (!h.done && (!min || compareLabels(h.value.labels, min) < 0)) min = h.value.labels;
    if (!min) return;
    const parts: Part[] = [];
    heads.forEach((h, i) => {
      if (h.done || compareLabels(h.value.labels, min) !== 0) return;
      const dels = blocks[i]!.tombstones.get(h.value.ref);
      for (const chunk of h.value.chunks) parts.push({ block: blocks[i]!, chunk, dels });
      heads[i] = its[i]!.next();
    });
    const chunks = mergeChunks(parts);
    if (chunks.length > 0) yield { labels: min, chunks };
  }
}

export interface CompactOptions {
  ulid?: string;
  /** Overrides the lineage (CleanTombstones keeps the parent's level and sources). */
  compaction?: BlockMetaCompaction;
}

/**
 * Writes the merge of `blocks` as a new block under `dataDir`. Returns its meta, or
 * undefined when nothing is left (every sample deleted): then no block is written.
 * The parents are left in place; the caller removes them.
 */
export function compactBlocks(dataDir: string, blocks: readonly Block[], opts: CompactOptions = {}): BlockMeta | undefined {
  return runSync(compactBlocksSteps(dataDir, blocks, opts));
}

/** compactBlocks yielding to the event loop every ~10 ms of work. */
export function compactBlocksAsync(dataDir: string, blocks: readonly Block[], opts: CompactOptions = {}): Promise<BlockMeta | undefined> {
  return runAsync(compactBlocksSteps(dataDir, blocks, opts));
}

export function* compactBlocksSteps(dataDir: string, blocks: readonly Block[], opts: CompactOptions = {}): Steps<BlockMeta | undefined> {
  if (blocks.length === 0) throw new Error('compactBlocks: no blocks given');
  const lineage = compactBlockMetas(blocks.map((b) => b.meta));
  const id = opts.ulid ?? newUlid();
  const series: BlockSeries[] = [];
  for (const s of mergeSeries(blocks)) {
    series.push(s);
    if (series.length % STEP_UNITS === 0) yield;
  }
  if (series.length === 0) return undefined;
  return yield* writeBlockSteps(dataDir, series, {
    mint: lineage.minTime,
    maxt: lineage.maxTime,
    ulid: id,
    compaction: opts.compaction ?? lineage.compaction,
  });
}

export interface CompactDirOptions {
  /** Block ranges; default 2h, 6h, 18h, ... up to 10 steps, as Prometheus. */
  ranges?: readonly number[];
}

/**
 * Plans and runs compactions in `dataDir` until the planner finds nothing, deleting the
 * parents of each new block. Returns the metas of the blocks written.
 */
export async function compactDir(dataDir: string, opts: CompactDirOptions = {}): Promise<BlockMeta[]> {
  const ranges = opts.ranges ?? exponentialBlockRanges(DEFAULT_BLOCK_DURATION, 10, 3);
  const written: BlockMeta[] = [];
  for (;;) {
    const dirs = plan(await listBlockDirs(dataDir), ranges);
    if (dirs.length === 0) return written;
    const blocks = await Promise.all(dirs.map((d) => openBlock(d)));
    let meta: BlockMeta | undefined;
    try {
      meta = await compactBlocksAsync(dataDir, blocks);
    } catch (e) {
      // As Prometheus: mark the inputs so the planner skips them instead of failing forever.
      for (const b of blocks) {
        b.close();
        await writeMeta(b.dir, { ...b.meta, compaction: { ...b.meta.compaction, failed: true } });
      }
      throw new Error(`compacting ${dirs.join(', ')} failed (blocks marked compaction.failed): ${(e as Error).message}`, { cause: e });
    }
    if (meta) written.push(meta);
    for (const b of blocks) {
      b.close();
      deleteBlockDir(b.dir);
    }
  }
}
