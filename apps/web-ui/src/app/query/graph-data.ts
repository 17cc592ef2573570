// Range-query results -> uPlot's column layout: one shared time axis on the query's step grid,
// one value column per series (null for gaps, non-finite values and missing steps).
import { parseSampleValue, type RangeSeries } from './result.js';

export interface GraphData {
  /** Unix seconds. */
  x: number[];
  /** One column per series, aligned with x. */
  ys: (number | null)[][];
}

/** Prometheus answers at start + k*step; anything else (another server) snaps to the nearest step. */
export function alignSeries(series: readonly RangeSeries[], start: number, end: number, step: number, stacked: boolean): GraphData {
  if (!(step > 0) || !(end >= start)) throw new RangeError(`bad graph grid: start ${start}, end ${end}, step ${step}`);
  const n = Math.floor((end - start) / step + 1e-9) + 1;
  const x = new Array<number>(n);
  for (let i = 0; i < n; i++) x[i] = start + i * step;
  const ys = series.map((s) => {
    const col = new Array<number | null>(n).fill(null);
    for (const [t, v] of s.values) {
      const i = Math.round((t - start) / step);
      if (i < 0 || i >= n) continue;
      const f = parseSampleValue(v);
      col[i] = Number.isFinite(f) ? f : null;
    }
    return col;
  });
  if (stacked) {
    const running = new Array<number>(n).fill(0);
    for (const col of ys) {
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (v === null || v === undefined) continue;
        running[i]! += v;
        col[i] = running[i]!;
      }
    }
  }
  return { x, ys };
}

/** Well-separated hues (golden angle), the same series index always gets the same colour. */
export function seriesColor(i: number, dark: boolean): string {
  const hue = (i * 137.508 + 200) % 360;
  return `hsl(${hue.toFixed(1)}, ${dark ? 70 : 65}%, ${dark ? 62 : 45}%)`;
}

/** 24-hour UTC tick labels; the date only where it changes, seconds only when ticks are that close. */
export function timeTicks(splits: number[]): string[] {
  const gap = splits.length > 1 ? (splits[1] ?? 0) - (splits[0] ?? 0) : 60;
  let lastDay = '';
  return splits.map((t) => {
    const iso = new Date(t * 1000).toISOString();
    const day = iso.slice(5, 10);
    const time = gap < 60 ? iso.slice(11, 19) : iso.slice(11, 16);
    const label = day !== lastDay ? `${time}\n${day}` : time;
    lastDay = day;
    return gap >= 86400 ? day : label;
  });
}
