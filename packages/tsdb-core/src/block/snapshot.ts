// Snapshots of persisted blocks by hard links: instant, no extra space, and safe because
// block files are never modified in place (tombstones and meta.json are replaced by rename,
// which leaves the snapshot's links pointing at the old contents).
import { linkSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { listBlockDirs } from './list.js';
import { fsyncDir } from './writer.js';

function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const s = join(src, e.name);
    const d = join(dst, e.name);
    if (e.isDirectory()) linkTree(s, d);
    else if (e.isFile()) linkSync(s, d);
  }
  fsyncDir(dst);
}

/** Hard-links every block of `dataDir` into `dst` (created). Returns the ULIDs snapshotted. */
export async function snapshotBlocks(dataDir: string, dst: string): Promise<string[]> {
  const blocks = await listBlockDirs(dataDir);
  mkdirSync(dst, { recursive: true });
  for (const b of blocks) linkTree(b.dir, join(dst, b.meta.ulid));
  fsyncDir(dst);
  return blocks.map((b) => b.meta.ulid);
}
