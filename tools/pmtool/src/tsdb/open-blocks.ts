// Opening a data directory's blocks read-only for `tsdb list|analyze|dump`. Unlike promtool,
// a directory without wal/ is fine and nothing is created in it.
import { statSync } from 'node:fs';
import { Block, listBlockDirs } from '@promethium/tsdb-core';

export class DbOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DbOpenError';
  }
}

/** The blocks of `path` in time order; the caller closes them. */
export async function openBlocks(path: string): Promise<Block[]> {
  try {
    if (!statSync(path).isDirectory()) throw new DbOpenError(`opening the db dir: ${path} is not a directory`);
  } catch (e) {
    if (e instanceof DbOpenError) throw e;
    throw new DbOpenError(`opening the db dir: stat ${path}: no such file or directory`);
  }
  const blocks: Block[] = [];
  try {
    for (const d of await listBlockDirs(path)) blocks.push(await Block.open(d.dir));
  } catch (e) {
    for (const b of blocks) b.close();
    throw e;
  }
  return blocks;
}
