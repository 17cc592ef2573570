// Deletion through tombstones across a data directory (the admin API's delete_series) and
// CleanTombstones, which rewrites every block that has tombstones without the deleted data.
import type { Matcher } from '../matcher.js';
import { openBlock } from '../block/block.js';
import { deleteBlockDir, listBlockDirs } from '../block/list.js';
import type { BlockMeta } from '../block/meta.js';
import { compactBlocksAsync } from './compactor.js';

/** Adds tombstones for [mint, maxt] of the matching series in every overlapping block. Returns series marked. */
export async function deleteSeries(dataDir: string, mint: number, maxt: number, matchers: readonly Matcher[]): Promise<number> {
  let n = 0;
  for (const { dir, meta } of await listBlockDirs(dataDir)) {
    if (meta.maxTime <= mint || meta.minTime > maxt) continue;
    const b = await openBlock(dir);
    n += await b.delete(mint, maxt, matchers);
    b.close();
  }
  return n;
}

/**
 * Rewrites each block with tombstones into a new block (same level and sources, the old
 * block as parent) and deletes the old one. A block whose every sample was deleted is
 * removed outright. Returns the new blocks' metas.
 */
export async function cleanTombstones(dataDir: string): Promise<BlockMeta[]> {
  const out: BlockMeta[] = [];
  for (const { dir } of await listBlockDirs(dataDir)) {
    const b = await openBlock(dir);
    if (b.tombstones.total() === 0) continue;
    const m = b.meta;
    const meta = await compactBlocksAsync(dataDir, [b], {
      compaction: {
        level: m.compaction.level,
        sources: m.compaction.sources ?? [m.ulid],
        parents: [{ ulid: m.ulid, minTime: m.minTime, maxTime: m.maxTime }],
      },
    });
    if (meta) out.push(meta);
    b.close();
    deleteBlockDir(dir);
  }
  return out;
}
