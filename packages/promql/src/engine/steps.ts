// The evaluation grid and per-step views over a list of series.
import type { Series } from './value.js';

export interface StepRange {
  start: number;
  end: number;
  interval: number;
  /** Number of steps: floor((end - start) / interval) + 1. */
  n: number;
}

export function stepRange(start: number, end: number, interval: number): StepRange {
  return { start, end, interval, n: Math.floor((end - start) / interval) + 1 };
}

export function stepTime(r: StepRange, i: number): number {
  return r.start + i * r.interval;
}

/** One step's samples: indices into the series list and their values. */
export interface StepVector {
  /** Entries [0, n) are valid; the arrays are reused from step to step. */
  idx: number[];
  f: number[];
  n: number;
}

/**
 * Walks all series step by step, handing each step's present samples to `fn`. Series points
 * sit exactly on step timestamps, so one cursor per series suffices.
 */
export function forEachStep(series: readonly Series[], r: StepRange, fn: (i: number, t: number, v: StepVector) => void): void {
  const cursors = new Int32Array(series.length);
  const v: StepVector = { idx: [], f: [], n: 0 };
  for (let i = 0; i < r.n; i++) {
    const t = stepTime(r, i);
    let n = 0;
    for (let k = 0; k < series.length; k++) {
      const s = series[k]!;
      const c = cursors[k]!;
      if (c < s.ts.length && s.ts[c] === t) {
        v.idx[n] = k;
        v.f[n] = s.fs[c]!;
        n++;
        cursors[k] = c + 1;
      }
    }
    v.n = n;
    fn(i, t, v);
  }
}
