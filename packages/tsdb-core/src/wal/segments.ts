// Segment files of the WAL and of checkpoints: `<dir>/00000000`, `<dir>/00000001`, ... and
// `<dir>/checkpoint.00000007/00000000`. Names as Prometheus' wlog.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PAGE_SIZE = 32 * 1024;
export const RECORD_HEADER_SIZE = 7;
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

export const FRAG_PAGE_TERM = 0;
export const FRAG_FULL = 1;
export const FRAG_FIRST = 2;
export const FRAG_MIDDLE = 3;
export const FRAG_LAST = 4;
/** Fragment type flag bits: Snappy (Prometheus' default since 2.20) and zstd (2.48+). */
export const FLAG_SNAPPY = 0x08;
export const FLAG_ZSTD = 0x10;

export function segmentName(dir: string, index: number): string {
  return path.join(dir, String(index).padStart(8, '0'));
}

/** Indexes of the segment files in dir, ascending; other files are ignored. */
export function listSegments(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => /^\d{8,}$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

export interface CheckpointRef {
  dir: string;
  /** Last WAL segment the checkpoint covers. */
  index: number;
}

/** Completed checkpoints in walDir, oldest first (ignoring `.tmp` leftovers). */
export function listCheckpoints(walDir: string): CheckpointRef[] {
  let names: string[];
  try {
    names = fs.readdirSync(walDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => /^checkpoint\.\d{8,}$/.test(n))
    .map((n) => ({ dir: path.join(walDir, n), index: Number(n.slice('checkpoint.'.length)) }))
    .sort((a, b) => a.index - b.index);
}

export function checkpointName(walDir: string, index: number): string {
  return path.join(walDir, `checkpoint.${String(index).padStart(8, '0')}`);
}

/** fsyncs a directory so renames and new files in it are durable. */
export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
