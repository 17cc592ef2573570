// A small in-memory Appendable for the scrape tests (until the scrape tests move to the real
// TSDB): transactional like the contract says, so rollback and commit are observable.
import { isStaleNaN } from '@promethium/tsdb-core';
import type { Appendable, Appender, Labels, SeriesRef } from '@promethium/tsdb-core';

export interface StoredSeries {
  labels: Labels;
  samples: [number, number][];
  /** Indexes of samples that are staleness markers (V8 quiets the marker NaN inside plain arrays). */
  stale: Set<number>;
}

export class MemoryStorage implements Appendable {
  readonly series = new Map<string, StoredSeries>();
  private readonly byRef: StoredSeries[] = [];
  commits = 0;
  rollbacks = 0;

  appender(): Appender {
    const pending: [StoredSeries, number, number][] = [];
    return {
      append: (ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef => {
        let s = ref > 0 ? this.byRef[ref - 1] : undefined;
        if (s && !s.labels.equals(labels)) throw new Error('ref does not match labels');
        if (!s) {
          const key = labels.key();
          s = this.series.get(key);
          if (!s) {
            s = { labels, samples: [], stale: new Set() };
            this.series.set(key, s);
            this.byRef.push(s);
          }
        }
        const last = s.samples.at(-1);
        if (last && t < last[0]) throw new Error('out of order sample');
        pending.push([s, t, v]);
        return this.byRef.indexOf(s) + 1;
      },
      commit: async () => {
        for (const [s, t, v] of pending) {
          if (isStaleNaN(v)) s.stale.add(s.samples.length);
          s.samples.push([t, v]);
        }
        pending.length = 0;
        this.commits++;
      },
      rollback: () => {
        pending.length = 0;
        this.rollbacks++;
      },
    };
  }

  /** Samples of the series whose labels render as `selector` (Labels.toString()). */
  get(selector: string): [number, number][] {
    for (const s of this.series.values()) if (s.labels.toString() === selector) return s.samples;
    return [];
  }

  /** Values of the one series with this name and label subset. */
  find(name: string, match: Record<string, string> = {}): StoredSeries[] {
    return [...this.series.values()].filter(
      (s) => s.labels.get('__name__') === name && Object.entries(match).every(([k, v]) => s.labels.get(k) === v),
    );
  }
}
