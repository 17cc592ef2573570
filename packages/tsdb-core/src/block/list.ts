// Finding and removing blocks in a data directory. A block is a directory named by a ULID
// holding meta.json; anything else (wal/, chunks_head/, *.tmp-for-creation,
// *.tmp-for-deletion, snapshots/) is not a block. Deletion renames first, so a crash midway
// never leaves a half-deleted directory that looks like a block.
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockMeta } from './meta.js';
import { readMeta } from './meta.js';
import { isUlid } from './ulid.js';
import { fsyncDir, TMP_FOR_CREATION } from './writer.js';

export const TMP_FOR_DELETION = '.tmp-for-deletion';

export interface BlockDir {
  dir: string;
  meta: BlockMeta;
}

/** Blocks under `dataDir`, sorted by minTime (then ULID). */
export async function listBlockDirs(dataDir: string): Promise<BlockDir[]> {
  const out: BlockDir[] = [];
  for (const e of readdirSync(dataDir, { withFileTypes: true })) {
    if (!e.isDirectory() || !isUlid(e.name)) continue;
    const dir = join(dataDir, e.name);
    if (!existsSync(join(dir, 'meta.json'))) continue;
    out.push({ dir, meta: await readMeta(dir) });
  }
  return out.sort((a, b) => a.meta.minTime - b.meta.minTime || (a.meta.ulid < b.meta.ulid ? -1 : 1));
}

/** Removes leftovers of interrupted block creation or deletion. */
export function removeTmpDirs(dataDir: string): string[] {
  const removed: string[] = [];
  for (const e of readdirSync(dataDir, { withFileTypes: true })) {
    if (e.isDirectory() && (e.name.endsWith(TMP_FOR_CREATION) || e.name.endsWith(TMP_FOR_DELETION))) {
      rmSync(join(dataDir, e.name), { recursive: true, force: true });
      removed.push(e.name);
    }
  }
  return removed;
}

/** Deletes a block directory: rename out of the block namespace, fsync, then remove. */
export function deleteBlockDir(dir: string): void {
  const tmp = dir + TMP_FOR_DELETION;
  renameSync(dir, tmp);
  fsyncDir(join(dir, '..'));
  rmSync(tmp, { recursive: true, force: true });
}
