// Which blocks to compact next, following Prometheus' leveled compactor: overlapping blocks
// first (vertical compaction), else the first group of adjacent blocks that fills one of the
// larger ranges (2h -> 6h -> 18h ...) or lies wholly before the newest block, else a big
// block whose tombstones exceed 5% of its series. The newest block is never planned with
// others, leaving a window to back it up before it changes.
import type { BlockDir } from '../block/list.js';

export const DEFAULT_BLOCK_DURATION = 2 * 3600_000;

/** [minSize, minSize*stepSize, ...] with `steps` entries (Prometheus' ExponentialBlockRanges). */
export function exponentialBlockRanges(minSize: number, steps: number, stepSize: number): number[] {
  const out: number[] = [];
  let cur = minSize;
  for (let i = 0; i < steps; i++) {
    out.push(cur);
    cur *= stepSize;
  }
  return out;
}

/** Go's integer division truncates toward zero; block alignment needs that exactly. */
function alignDown(t: number, range: number): number {
  return t >= 0 ? range * Math.trunc(t / range) : range * Math.trunc((t - range + 1) / range);
}

/** Groups of consecutive blocks falling within one aligned window of size `range`. */
export function splitByRange(ds: readonly BlockDir[], range: number): BlockDir[][] {
  const out: BlockDir[][] = [];
  for (let i = 0; i < ds.length; ) {
    const t0 = alignDown(ds[i]!.meta.minTime, range);
    if (ds[i]!.meta.maxTime > t0 + range) {
      i++;
      continue;
    }
    const group: BlockDir[] = [];
    for (; i < ds.length && ds[i]!.meta.maxTime <= t0 + range; i++) group.push(ds[i]!);
    if (group.length > 0) out.push(group);
  }
  return out;
}

function selectOverlapping(ds: readonly BlockDir[]): BlockDir[] {
  if (ds.length < 2) return [];
  const out: BlockDir[] = [];
  let globalMaxt = ds[0]!.meta.maxTime;
  for (let i = 1; i < ds.length; i++) {
    const d = ds[i]!;
    if (d.meta.minTime < globalMaxt) {
      if (out.length === 0) out.push(ds[i - 1]!);
      out.push(d);
    } else if (out.length > 0) break;
    if (d.meta.maxTime > globalMaxt) globalMaxt = d.meta.maxTime;
  }
  return out;
}

function selectDirs(ds: readonly BlockDir[], ranges: readonly number[]): BlockDir[] {
  if (ranges.length < 2 || ds.length < 1) return [];
  const highTime = ds[ds.length - 1]!.meta.minTime;
  for (const iv of ranges.slice(1)) {
    for (const p of splitByRange(ds, iv)) {
      if (p.some((d) => d.meta.compaction.failed)) continue;
      const mint = p[0]!.meta.minTime;
      const maxt = p[p.length - 1]!.meta.maxTime;
      if ((maxt - mint === iv || maxt <= highTime) && p.length > 1) return p;
    }
  }
  return [];
}

/** The block directories to compact together next; empty when there is nothing to do. */
export function plan(blocks: readonly BlockDir[], ranges: readonly number[]): string[] {
  const ds = [...blocks].sort((a, b) => a.meta.minTime - b.meta.minTime);
  const overlapping = selectOverlapping(ds);
  if (overlapping.length > 0) return overlapping.map((d) => d.dir);
  const older = ds.slice(0, -1);
  const picked = selectDirs(older, ranges);
  if (picked.length > 0) return picked.map((d) => d.dir);
  for (let i = older.length - 1; i >= 0; i--) {
    const m = older[i]!.meta;
    const tomb = m.stats.numTombstones ?? 0;
    const series = m.stats.numSeries ?? 0;
    if (m.maxTime - m.minTime < ranges[Math.floor(ranges.length / 2)]!) {
      if (tomb > 0 && tomb >= series) return [older[i]!.dir];
      break;
    }
    if (tomb / (series + 1) > 0.05) return [older[i]!.dir];
  }
  return [];
}
