// A transactional appender over the head. Samples are validated on append (bounds, order,
// duplicates, with Prometheus' errors), buffered in typed arrays, and on commit logged to the
// WAL and applied in one synchronous step, so no other commit interleaves with either.
import { AppendError, ERR_DUPLICATE_SAMPLE, ERR_OUT_OF_BOUNDS, ERR_OUT_OF_ORDER_SAMPLE } from './errors.js';
import type { Labels } from '../labels.js';
import type { Appender, SeriesRef } from '../storage.js';
import type { Head } from './head.js';
import type { MemSeries } from './series.js';

const f64 = new Float64Array(2);
const u32 = new Uint32Array(f64.buffer);

/** Equal as stored: by bits, so NaN equals the same NaN and the stale marker only itself. */
function sameBits(a: number, b: number): boolean {
  f64[0] = a;
  f64[1] = b;
  return u32[0] === u32[2] && u32[1] === u32[3];
}

export class HeadAppender implements Appender {
  private readonly head: Head;
  private readonly minValidTime: number;
  private series: MemSeries[] = [];
  private ts = new Float64Array(256);
  private vs = new Float64Array(256);
  private n = 0;

  constructor(head: Head, minValidTime: number) {
    this.head = head;
    this.minValidTime = minValidTime;
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    if (!(t >= this.minValidTime)) {
      if (t < this.minValidTime) throw new AppendError('out_of_bounds', ERR_OUT_OF_BOUNDS, labels, t);
      throw new AppendError('invalid', `invalid sample timestamp ${t}: want integer milliseconds`, labels, t);
    }
    if (Math.floor(t) !== t || t > Number.MAX_SAFE_INTEGER || t < -Number.MAX_SAFE_INTEGER) {
      throw new AppendError('invalid', `invalid sample timestamp ${t}: want integer milliseconds`, labels, t);
    }
    let s = ref !== 0 ? this.head.getByRef(ref) : undefined;
    if (s === undefined) {
      if (labels.size === 0) throw new AppendError('invalid', 'empty labelset: invalid sample', labels, t);
      s = this.head.getOrCreate(labels);
    }
    const pendingT = s.pendingOwner === this ? s.pendingT : -Infinity;
    if (t <= pendingT || t <= s.maxT) {
      if (t === pendingT && pendingT > s.maxT) {
        if (sameBits(this.pendingValue(s), v)) return s.ref;
        throw new AppendError('duplicate', ERR_DUPLICATE_SAMPLE, s.labels, t);
      }
      if (t === s.maxT && pendingT <= s.maxT) {
        // Re-sending the last sample is fine; a different value at the same time is not.
        if (sameBits(s.lastValue(), v)) return s.ref;
        throw new AppendError('duplicate', ERR_DUPLICATE_SAMPLE, s.labels, t);
      }
      throw new AppendError('out_of_order', ERR_OUT_OF_ORDER_SAMPLE, s.labels, t);
    }
    const i = this.n;
    if (i === this.ts.length) this.grow();
    this.series.push(s);
    this.ts[i] = t;
    this.vs[i] = v;
    this.n = i + 1;
    s.pendingT = t;
    s.pendingOwner = this;
    return s.ref;
  }

  private pendingValue(s: MemSeries): number {
    for (let i = this.n - 1; i >= 0; i--) if (this.series[i] === s) return this.vs[i]!;
    return NaN;
  }

  private grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    ts.set(this.ts);
    this.ts = ts;
    const vs = new Float64Array(this.vs.length * 2);
    vs.set(this.vs);
    this.vs = vs;
  }

  async commit(): Promise<void> {
    const { head, series, ts, vs } = this;
    const n = this.n;
    // Another appender may have committed newer samples for a series since append():
    // drop those now out of order, as Prometheus does at commit.
    let k = 0;
    const newSeries: MemSeries[] = [];
    // A block may have been cut since append(): what it covers can no longer be added.
    const minValid = head.minValidTime;
    for (let i = 0; i < n; i++) {
      const s = series[i]!;
      this.clearPending(s);
      if (ts[i]! <= s.maxT || ts[i]! < minValid) continue;
      if (!s.logged) {
        s.logged = true;
        newSeries.push(s);
      }
      series[k] = s;
      ts[k] = ts[i]!;
      vs[k] = vs[i]!;
      k++;
    }
    this.reset();
    if (k === 0 && newSeries.length === 0) return;
    const wal = head.wal;
    if (wal) {
      try {
        wal.log(newSeries, series, ts, vs, k);
      } catch (e) {
        for (const s of newSeries) s.logged = false;
        throw e;
      }
    }
    for (let i = 0; i < k; i++) head.applySampleAt(series[i]!, ts, vs, i);
    if (wal) await wal.sync();
  }

  seriesLabels(ref: SeriesRef): Labels | undefined {
    return this.head.getByRef(ref)?.labels;
  }

  rollback(): void {
    for (let i = 0; i < this.n; i++) this.clearPending(this.series[i]!);
    this.reset();
  }

  private clearPending(s: MemSeries): void {
    if (s.pendingOwner === this) {
      s.pendingOwner = undefined;
      s.pendingT = -Infinity;
    }
  }

  private reset(): void {
    this.series = [];
    this.n = 0;
  }
}
