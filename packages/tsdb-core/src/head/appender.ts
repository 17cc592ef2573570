// A transactional appender over the head. Samples are validated on append (bounds, order,
// duplicates, with Prometheus' errors), buffered in typed arrays, and on commit logged to the
// WAL and applied in one synchronous step, so no other commit interleaves with either.
import { AppendError, ERR_DUPLICATE_SAMPLE, ERR_OUT_OF_BOUNDS, ERR_OUT_OF_ORDER_SAMPLE } from './errors.js';
import type { Labels } from '../labels.js';
import type { Appender, CommitOptions, SeriesRef } from '../storage.js';
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

/** An appender's pending samples: series, timestamps and values side by side. */
class SampleBuffer {
  series: (MemSeries | undefined)[] = [];
  ts = new Float64Array(256);
  vs = new Float64Array(256);
}

// Buffers go back here after commit or rollback: each scrape uses a new appender, and growing
// fresh arrays to a thousand samples every time was a tenth of the scrape path's garbage.
const spareBuffers: SampleBuffer[] = [];
const MAX_SPARE_BUFFERS = 16;
const MAX_SPARE_SAMPLES = 1 << 16;

export class HeadAppender implements Appender {
  private readonly head: Head;
  private readonly minValidTime: number;
  private buf: SampleBuffer | undefined;
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
    // The common case answered without reading a timestamp back as a double (split-time.ts).
    if (!s.accepts(t, s.pendingOwner === this)) {
      const pendingT = s.pendingOwner === this ? s.pendingT : -Infinity;
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
    const b = (this.buf ??= spareBuffers.pop() ?? new SampleBuffer());
    const i = this.n;
    if (i === b.ts.length) grow(b);
    b.series[i] = s;
    b.ts[i] = t;
    b.vs[i] = v;
    this.n = i + 1;
    s.pendingT = t;
    s.pendingOwner = this;
    return s.ref;
  }

  private pendingValue(s: MemSeries): number {
    const b = this.buf!;
    for (let i = this.n - 1; i >= 0; i--) if (b.series[i] === s) return b.vs[i]!;
    return NaN;
  }

  async commit(options?: CommitOptions): Promise<void> {
    const { head } = this;
    const b = this.buf;
    const n = this.n;
    this.buf = undefined;
    this.n = 0;
    if (!b) return;
    const { series, ts, vs } = b;
    // Another appender may have committed newer samples for a series since append():
    // drop those now out of order, as Prometheus does at commit.
    let k = 0;
    const newSeries: MemSeries[] = [];
    // A block may have been cut since append(): what it covers can no longer be added.
    const minValid = head.minValidTime;
    for (let i = 0; i < n; i++) {
      const s = series[i]!;
      this.clearPending(s);
      if (!s.newerAt(ts, i) || ts[i]! < minValid) continue;
      if (!s.logged) {
        s.logged = true;
        newSeries.push(s);
      }
      series[k] = s;
      ts[k] = ts[i]!;
      vs[k] = vs[i]!;
      k++;
    }
    if (k === 0 && newSeries.length === 0) {
      release(b, n);
      return;
    }
    const wal = head.wal;
    if (wal) {
      try {
        wal.log(newSeries, series as MemSeries[], ts, vs, k);
      } catch (e) {
        for (const s of newSeries) s.logged = false;
        release(b, n);
        throw e;
      }
    }
    for (let i = 0; i < k; i++) head.applySampleAt(series[i]!, ts, vs, i);
    release(b, n);
    if (wal) await wal.sync(options?.urgent === true);
  }

  seriesLabels(ref: SeriesRef): Labels | undefined {
    return this.head.getByRef(ref)?.labels;
  }

  rollback(): void {
    const b = this.buf;
    if (b) {
      for (let i = 0; i < this.n; i++) this.clearPending(b.series[i]!);
      release(b, this.n);
    }
    this.buf = undefined;
    this.n = 0;
  }

  private clearPending(s: MemSeries): void {
    if (s.pendingOwner === this) {
      s.pendingOwner = undefined;
      s.clearPendingT();
    }
  }
}

function grow(b: SampleBuffer): void {
  const ts = new Float64Array(b.ts.length * 2);
  ts.set(b.ts);
  b.ts = ts;
  const vs = new Float64Array(b.vs.length * 2);
  vs.set(b.vs);
  b.vs = vs;
}

/** Returns a buffer to the spares, holding no series (deleted ones must not be kept alive). */
function release(b: SampleBuffer, used: number): void {
  b.series.fill(undefined, 0, used);
  if (spareBuffers.length < MAX_SPARE_BUFFERS && b.ts.length <= MAX_SPARE_SAMPLES) spareBuffers.push(b);
}
