// Backfill (promtool tsdb create-blocks-from openmetrics): OpenMetrics samples with
// timestamps become blocks aligned to the block duration (2 h by default), one block per
// window that holds data, each spanning its first to last sample + 1 ms, chunked by a head
// with twice the block duration as chunk range, exactly as promtool's block writer does.
// The input is parsed and every sample appended before the first block is written, so bad
// input writes nothing; an I/O failure midway removes the blocks this run wrote.
import { join } from 'node:path';
import type { BlockMeta } from '@promethium/tsdb-core';
import { AppendError, DEFAULT_BLOCK_DURATION, Head, deleteBlockDir, dirSize, exponentialBlockRanges, headSeries, writeBlock } from '@promethium/tsdb-core';
import { BackfillError, parseBackfillInput } from './backfill-parse.js';
import { sourceSize, type InputSource } from './input-pieces.js';

export { BackfillError } from './backfill-parse.js';

export interface BackfillProgress {
  phase: 'parse' | 'write';
  bytesRead: number;
  bytesTotal: number;
  blocksWritten: number;
  blocksTotal: number;
}

export interface BackfillOptions {
  /** promtool's --max-block-duration in ms; anything up to 2 h means 2 h. */
  maxBlockDuration?: number;
  /** Called as each block is written (in time order). */
  onBlock?: (meta: BlockMeta, size: number) => void;
  /** Input pieces parsed at a time (default 16 MiB; see input-pieces.ts). */
  pieceBytes?: number;
  /** Called every ~1 MiB parsed and after each block. */
  onProgress?: (p: BackfillProgress) => void;
}

/** promtool's getCompatibleBlockDuration: the largest of 2h*3^i (i < 10) not above the maximum. */
export function blockDurationFor(maxBlockDuration: number): number {
  if (maxBlockDuration <= DEFAULT_BLOCK_DURATION) return DEFAULT_BLOCK_DURATION;
  const ranges = exponentialBlockRanges(DEFAULT_BLOCK_DURATION, 10, 3);
  let best = ranges[ranges.length - 1]!;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i]! > maxBlockDuration) {
      best = ranges[i - 1]!;
      break;
    }
  }
  return best;
}

/** Writes the blocks for `input` into `outputDir` (which must exist); returns their metas. */
export async function backfill(input: InputSource, outputDir: string, opts: BackfillOptions = {}): Promise<BlockMeta[]> {
  const onProgress = opts.onProgress;
  const total = sourceSize(input);
  const parsed = parseBackfillInput(
    input,
    onProgress ? (p) => onProgress({ phase: 'parse', ...p, blocksWritten: 0, blocksTotal: 0 }) : undefined,
    opts.pieceBytes,
  );
  if (parsed.n === 0) return [];
  const duration = blockDurationFor(opts.maxBlockDuration ?? 0);
  const start = duration * Math.floor(parsed.mint / duration);
  // Group sample indexes by window, keeping file order within each (a counting sort).
  const windows = Math.floor((parsed.maxt - start) / duration) + 1;
  const counts = new Int32Array(windows + 1);
  const win = new Int32Array(parsed.n);
  for (let i = 0; i < parsed.n; i++) {
    win[i] = Math.floor((parsed.ts[i]! - start) / duration);
    counts[win[i]! + 1]!++;
  }
  for (let w = 0; w < windows; w++) counts[w + 1]! += counts[w]!;
  const order = new Int32Array(parsed.n);
  const fill = counts.slice(0, windows);
  for (let i = 0; i < parsed.n; i++) order[fill[win[i]!]!++] = i;

  // Append everything first: an out-of-order or duplicate sample fails before any write.
  const heads: Head[] = [];
  for (let w = 0; w < windows; w++) {
    if (counts[w + 1] === counts[w]) continue;
    const head = new Head({ chunkRange: 2 * duration });
    const app = head.appender();
    const refs = new Map<number, number>();
    for (let k = counts[w]!; k < counts[w + 1]!; k++) {
      const i = order[k]!;
      const s = parsed.series[i]!;
      try {
        refs.set(s, app.append(refs.get(s) ?? 0, parsed.labels[s]!, parsed.ts[i]!, parsed.vs[i]!));
      } catch (e) {
        if (!(e instanceof AppendError)) throw e;
        throw new BackfillError(`process blocks: add sample: ${e.message} at line ${parsed.lines[i]}: ${parsed.labels[s]!.toString()} @ ${parsed.ts[i]}`);
      }
    }
    await app.commit();
    heads.push(head);
  }

  const written: BlockMeta[] = [];
  try {
    for (const head of heads) {
      const mint = head.minTime;
      const maxt = head.maxTime + 1;
      const meta = writeBlock(outputDir, headSeries(head, mint, maxt), { mint, maxt });
      written.push(meta);
      opts.onBlock?.(meta, dirSize(join(outputDir, meta.ulid)));
      opts.onProgress?.({ phase: 'write', bytesRead: total, bytesTotal: total, blocksWritten: written.length, blocksTotal: heads.length });
    }
  } catch (e) {
    for (const m of written) deleteBlockDir(join(outputDir, m.ulid));
    throw e;
  }
  return written;
}
