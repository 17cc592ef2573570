// Collects per-step samples into series, refusing two samples with one label set at one step.
import type { Labels } from '@promethium/tsdb-core';
import { QueryError } from './value.js';
import type { Series } from './value.js';

export class SeriesBuilder {
  private readonly byKey = new Map<string, Series>();

  add(metric: Labels, t: number, f: number, dropName: boolean): void {
    const key = metric.key();
    let s = this.byKey.get(key);
    if (!s) {
      s = { metric, ts: [], fs: [], dropName };
      this.byKey.set(key, s);
    } else if (s.ts[s.ts.length - 1] === t) {
      throw new QueryError('vector cannot contain metrics with the same labelset');
    }
    s.ts.push(t);
    s.fs.push(f);
  }

  /** Series in order of first appearance (an instant query's result order). */
  result(): Series[] {
    return [...this.byKey.values()];
  }
}
