// One series in the head: its labels, its closed chunks and the open chunk samples go to.
// Chunks are cut as Prometheus' memSeries does: at the end of the chunk range, at an end
// time predicted once a quarter of samplesPerChunk arrived, or at twice samplesPerChunk.
import { copyChunkBytes } from '../chunkenc/slab.js';
import { XORChunk } from '../chunkenc/xor.js';
import type { Labels } from '../labels.js';
import { TWO32, joinTime, timeCompare, timeHi, timeLo } from '../split-time.js';

const NO_TIME_HI = timeHi(-Infinity);
const scratchT = new Float64Array(1);
const scratchV = new Float64Array(1);

/** An immutable view of one chunk: bytes plus the sample count valid in them. */
export interface ChunkView {
  readonly minT: number;
  readonly maxT: number;
  readonly bytes: Uint8Array;
  readonly numSamples: number;
}

export class MemSeries {
  readonly ref: number = 0;
  readonly labels: Labels;
  /** Closed chunks, oldest first, bytes trimmed to size. */
  closed: ChunkView[] | undefined;
  head: XORChunk | undefined;
  // The timestamps below are kept as int32 halves (split-time.ts): no heap number per field.
  private minHi = 0;
  private minLo = 0;
  private nextHi = 0;
  private nextLo = 0;
  private maxHi = NO_TIME_HI;
  private maxLo = 0;
  private pendHi = NO_TIME_HI;
  private pendLo = 0;
  /** The appender pendingT belongs to; other appenders ignore it. */
  pendingOwner: object | undefined = undefined;
  /** Whether a series record for this ref is in the WAL. */
  logged = false;

  constructor(ref: number, labels: Labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** First timestamp of the open chunk. */
  get headMinT(): number {
    return joinTime(this.minHi, this.minLo);
  }
  set headMinT(t: number) {
    this.minHi = timeHi(t);
    this.minLo = timeLo(t, this.minHi);
  }

  /** Time at which the open chunk is cut. */
  get nextAt(): number {
    return joinTime(this.nextHi, this.nextLo);
  }
  set nextAt(t: number) {
    this.nextHi = timeHi(t);
    this.nextLo = timeLo(t, this.nextHi);
  }

  /** Last committed timestamp (-Infinity when none). */
  get maxT(): number {
    return joinTime(this.maxHi, this.maxLo);
  }
  set maxT(t: number) {
    this.maxHi = timeHi(t);
    this.maxLo = timeLo(t, this.maxHi);
  }

  /**
   * Whether sample i of ts is after maxT. For the per-sample paths: a boolean answer never
   * needs a heap number, while maxT returned to a caller V8 did not inline it into does.
   */
  newerAt(ts: Float64Array, i: number): boolean {
    const t = ts[i]!;
    // Sample times are finite integers: split inline (see split-time.ts).
    const hi = Math.floor(t / TWO32) | 0;
    return timeCompare(hi, (t - hi * TWO32) | 0, this.maxHi, this.maxLo) > 0;
  }

  /** Whether t is after maxT and, with `pendingToo`, after pendingT (the appender's fast check). */
  accepts(t: number, pendingToo: boolean): boolean {
    const hi = Math.floor(t / TWO32) | 0;
    const lo = (t - hi * TWO32) | 0;
    if (timeCompare(hi, lo, this.maxHi, this.maxLo) <= 0) return false;
    return !pendingToo || timeCompare(hi, lo, this.pendHi, this.pendLo) > 0;
  }

  /** Forgets pendingT (as setting it to -Infinity). */
  clearPendingT(): void {
    this.pendHi = NO_TIME_HI;
    this.pendLo = 0;
  }

  /** Highest timestamp appended by an uncommitted appender. */
  get pendingT(): number {
    return joinTime(this.pendHi, this.pendLo);
  }
  set pendingT(t: number) {
    this.pendHi = timeHi(t);
    this.pendLo = timeLo(t, this.pendHi);
  }

  minTime(): number {
    if (this.closed && this.closed.length > 0) return this.closed[0]!.minT;
    return this.head && this.head.numSamples() > 0 ? this.headMinT : Infinity;
  }

  lastValue(): number {
    return this.head ? this.head.lastValue() : NaN;
  }

  numChunks(): number {
    return (this.closed?.length ?? 0) + (this.head && this.head.numSamples() > 0 ? 1 : 0);
  }

  /** Appends a sample known to be after maxT. */
  append(t: number, v: number, chunkRange: number, samplesPerChunk: number): void {
    scratchT[0] = t;
    scratchV[0] = v;
    this.appendAt(scratchT, scratchV, 0, chunkRange, samplesPerChunk);
  }

  /** Appends sample i of parallel arrays, known to be after maxT (no boxed doubles: see XORChunk.appendAt). */
  appendAt(ts: Float64Array, vs: Float64Array, i: number, chunkRange: number, samplesPerChunk: number): void {
    const t = ts[i]!;
    // Split inline and compared as halves: no double leaves this method (see split-time.ts).
    // cut() re-reads ts[i] for the same reason: V8 boxed t for that rare call on every sample.
    const hi = Math.floor(t / TWO32) | 0;
    const lo = (t - hi * TWO32) | 0;
    let c = this.head;
    if (c === undefined) {
      c = this.cut(ts[i]!, chunkRange, samplesPerChunk);
    } else {
      const n = c.numSamples();
      if (n === samplesPerChunk >> 2) this.nextAt = computeChunkEndTime(this.headMinT, this.maxT, this.nextAt, 4);
      if (timeCompare(hi, lo, this.nextHi, this.nextLo) >= 0 || n >= samplesPerChunk * 2) c = this.cut(ts[i]!, chunkRange, samplesPerChunk);
    }
    c.appendAt(ts, vs, i);
    this.maxHi = hi;
    this.maxLo = lo;
  }

  private cut(t: number, chunkRange: number, samplesPerChunk: number): XORChunk {
    const old = this.head;
    if (old && old.numSamples() > 0) {
      (this.closed ??= []).push({
        minT: this.headMinT,
        maxT: this.maxT,
        bytes: copyChunkBytes(old.bytes()),
        numSamples: old.numSamples(),
      });
    }
    // Size the new chunk like the last one: same series, same compressibility. A series' first
    // chunk starts at 128 bytes as in Prometheus (xor.go): a whole chunk for most gauges and
    // slow counters, so fewer series pay a growth (a move to a fresh slab region) at all.
    const c = new XORChunk(old && old.numSamples() > 0 ? old.size() + (old.size() >> 3) + 8 : 128, samplesPerChunk);
    this.head = c;
    this.headMinT = t;
    this.nextAt = rangeForTimestamp(t, chunkRange);
    return c;
  }

  /** Chunks overlapping [mint, maxt] as they are now; later appends do not change the views. */
  chunks(mint: number, maxt: number): ChunkView[] {
    const out: ChunkView[] = [];
    if (this.closed) for (const c of this.closed) if (c.maxT >= mint && c.minT <= maxt) out.push(c);
    const h = this.head;
    if (h && h.numSamples() > 0 && this.maxT >= mint && this.headMinT <= maxt) {
      out.push({ minT: this.headMinT, maxT: this.maxT, bytes: h.bytes(), numSamples: h.numSamples() });
    }
    return out;
  }

  /** Drops chunks that end before mint; true when the series has no chunk left. */
  truncateBefore(mint: number): boolean {
    if (this.closed) {
      let i = 0;
      while (i < this.closed.length && this.closed[i]!.maxT < mint) i++;
      if (i > 0) this.closed.splice(0, i);
      if (this.closed.length === 0) this.closed = undefined;
    }
    if (this.head && this.maxT < mint) this.head = undefined;
    return this.closed === undefined && this.head === undefined;
  }
}

/** End of the chunk range holding t (Go's integer division truncates toward zero). */
export function rangeForTimestamp(t: number, width: number): number {
  return Math.trunc(t / width) * width + width;
}

/** Predicts a chunk end so the rest of the range splits into evenly filled chunks (Prometheus). */
export function computeChunkEndTime(start: number, cur: number, max: number, ratioToFull: number): number {
  const n = (max - start) / ((cur - start + 1) * ratioToFull);
  if (n <= 1) return max;
  return Math.trunc(start + (max - start) / Math.floor(n));
}
