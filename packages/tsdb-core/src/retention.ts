// Retention by time and by size, as Prometheus applies it: whole blocks only, oldest first.
// Time: a block goes when the newest block's maxTime minus its maxTime exceeds the retention.
// Size: walking from the newest block, once the running total (plus the head/WAL bytes the
// caller reports) exceeds the limit, that block and every older one go.
import { dirSize } from './block/block.js';
import type { BlockDir } from './block/list.js';
import { deleteBlockDir, listBlockDirs } from './block/list.js';

export interface RetentionOptions {
  /** Keep this many ms of data (relative to the newest block's end). 0/undefined: no time limit. */
  retentionMs?: number;
  /** Keep at most this many bytes of blocks (+ headBytes). 0/undefined: no size limit. */
  maxBytes?: number;
  /** Bytes used outside blocks (WAL, head chunks) that count against maxBytes. */
  headBytes?: number;
}

export interface SizedBlock extends BlockDir {
  size: number;
}

/** The blocks retention would delete, newest-first order of evaluation, no I/O. */
export function blocksBeyondRetention(blocks: readonly SizedBlock[], opts: RetentionOptions): SizedBlock[] {
  const newestFirst = [...blocks].sort((a, b) => b.meta.maxTime - a.meta.maxTime);
  const doomed = new Set<SizedBlock>();
  if (opts.retentionMs && newestFirst.length > 0) {
    const top = newestFirst[0]!.meta.maxTime;
    for (let i = 1; i < newestFirst.length; i++) {
      if (top - newestFirst[i]!.meta.maxTime > opts.retentionMs) {
        for (const b of newestFirst.slice(i)) doomed.add(b);
        break;
      }
    }
  }
  if (opts.maxBytes) {
    let total = opts.headBytes ?? 0;
    for (let i = 0; i < newestFirst.length; i++) {
      total += newestFirst[i]!.size;
      if (total > opts.maxBytes) {
        for (const b of newestFirst.slice(i)) doomed.add(b);
        break;
      }
    }
  }
  return newestFirst.filter((b) => doomed.has(b));
}

/** Deletes the blocks under `dataDir` that are beyond retention; returns their ULIDs. */
export async function applyRetention(dataDir: string, opts: RetentionOptions): Promise<string[]> {
  const blocks = (await listBlockDirs(dataDir)).map((b) => ({ ...b, size: dirSize(b.dir) }));
  const doomed = blocksBeyondRetention(blocks, opts);
  for (const b of doomed) deleteBlockDir(b.dir);
  return doomed.map((b) => b.meta.ulid);
}
