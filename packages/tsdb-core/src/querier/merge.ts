// Merges queriers (head + blocks) into one: series with equal labels from several sources
// become one series whose samples are merged by time, a timestamp present in several sources
// appearing once (the first source's value wins, as the head's is the newest write).
import { Labels } from '../labels.js';
import type { Matcher } from '../matcher.js';
import type { Querier, SampleIterator, SelectHints, Series } from '../storage.js';

export class MergeQuerier implements Querier {
  private readonly queriers: readonly Querier[];

  constructor(queriers: readonly Querier[]) {
    this.queriers = queriers;
  }

  select(matchers: readonly Matcher[], hints?: SelectHints): Iterable<Series> {
    if (this.queriers.length === 1) return this.queriers[0]!.select(matchers, hints);
    const sets = this.queriers.map((q) => [...q.select(matchers, hints)]);
    const out: Series[] = [];
    const idx = sets.map(() => 0);
    for (;;) {
      let min: Labels | undefined;
      for (let k = 0; k < sets.length; k++) {
        const s = sets[k]![idx[k]!];
        if (s && (min === undefined || Labels.compare(s.labels, min) < 0)) min = s.labels;
      }
      if (min === undefined) break;
      const same: Series[] = [];
      for (let k = 0; k < sets.length; k++) {
        const s = sets[k]![idx[k]!];
        if (s && Labels.compare(s.labels, min) === 0) {
          same.push(s);
          idx[k]!++;
        }
      }
      out.push(same.length === 1 ? same[0]! : new MergedSeries(same));
    }
    return out;
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    const all = new Set<string>();
    for (const q of this.queriers) for (const n of q.labelNames(matchers)) all.add(n);
    return [...all].sort();
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    const all = new Set<string>();
    for (const q of this.queriers) for (const v of q.labelValues(name, matchers)) all.add(v);
    return [...all].sort();
  }

  close(): void {
    for (const q of this.queriers) q.close();
  }
}

class MergedSeries implements Series {
  readonly labels: Labels;
  private readonly parts: readonly Series[];

  constructor(parts: readonly Series[]) {
    this.labels = parts[0]!.labels;
    this.parts = parts;
  }

  iterator(): SampleIterator {
    return new MergeIterator(this.parts.map((p) => p.iterator()));
  }
}

/** k-way merge of sample iterators by timestamp, dropping repeated timestamps. */
export class MergeIterator implements SampleIterator {
  private readonly its: SampleIterator[];
  /** Whether each iterator currently sits on a sample. */
  private readonly live: boolean[];
  private started = false;
  private valid = false;
  private t = 0;
  private v = 0;

  constructor(its: SampleIterator[]) {
    this.its = its;
    this.live = its.map(() => false);
  }

  private pick(): boolean {
    let best = -1;
    for (let k = 0; k < this.its.length; k++) {
      if (this.live[k] && (best < 0 || this.its[k]!.at() < this.its[best]!.at())) best = k;
    }
    if (best < 0) return (this.valid = false);
    this.t = this.its[best]!.at();
    this.v = this.its[best]!.value();
    return (this.valid = true);
  }

  next(): boolean {
    if (!this.started) {
      this.started = true;
      for (let k = 0; k < this.its.length; k++) this.live[k] = this.its[k]!.next();
      return this.pick();
    }
    for (let k = 0; k < this.its.length; k++) {
      if (this.live[k] && this.its[k]!.at() === this.t) this.live[k] = this.its[k]!.next();
    }
    return this.pick();
  }

  seek(t: number): boolean {
    if (this.valid && this.t >= t) return true;
    this.started = true;
    for (let k = 0; k < this.its.length; k++) {
      if (!this.live[k] || this.its[k]!.at() < t) this.live[k] = this.its[k]!.seek(t);
    }
    return this.pick();
  }

  at(): number {
    return this.t;
  }

  value(): number {
    return this.v;
  }
}
