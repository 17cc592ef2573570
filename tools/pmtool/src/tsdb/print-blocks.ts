// promtool's block table (`tsdb list`, and each block `create-blocks-from` writes), laid out
// as Go's tabwriter does with minwidth 13 and padding 2: every column but the last is padded.
import type { BlockMeta } from '@promethium/tsdb-core';
import { base2Bytes, goDuration, goTimeUTC } from './go-format.js';

const HEADER = ['BLOCK ULID', 'MIN TIME', 'MAX TIME', 'DURATION', 'NUM SAMPLES', 'NUM CHUNKS', 'NUM SERIES', 'SIZE'];

export interface ListedBlock {
  meta: BlockMeta;
  /** Bytes on disk. */
  size: number;
}

/** Aligns cells like text/tabwriter.NewWriter(w, 13, 0, 2, ' ', 0). */
export function tabulate(rows: readonly (readonly string[])[], minWidth = 13, padding = 2): string {
  const widths: number[] = [];
  for (const r of rows) for (let i = 0; i < r.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, Math.max(r[i]!.length + padding, minWidth));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('') + '\n').join('');
}

export function formatBlocks(blocks: readonly ListedBlock[], header: boolean, humanReadable: boolean): string {
  const time = (t: number) => (humanReadable ? goTimeUTC(t) : String(t));
  const rows = blocks.map(({ meta, size }) => [
    meta.ulid,
    time(meta.minTime),
    time(meta.maxTime),
    goDuration(meta.maxTime - meta.minTime),
    String(meta.stats.numSamples ?? 0),
    String(meta.stats.numChunks ?? 0),
    String(meta.stats.numSeries ?? 0),
    humanReadable ? base2Bytes(size) : String(size),
  ]);
  return tabulate(header ? [HEADER, ...rows] : rows);
}
