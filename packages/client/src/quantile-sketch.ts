// A relative-error quantile sketch (the DDSketch idea: logarithmic buckets). Every value v
// falls into bucket i = ceil(log_g(|v|)) with g = (1+a)/(1-a); the bucket's representative
// 2g^i/(g+1) is within relative error a of every value in it. So the quantile this returns
// is within a * |exact| of the exact rank-q observation: the stated, testable bound.
// Observing is O(1) with no allocation once the bucket range has grown to the data.

const MIN_MAGNITUDE = 1e-9; // below this a value counts as zero
// Per sign, enough for magnitudes spanning 12 decades at any accuracy (at least 4096
// buckets); beyond that the smallest magnitudes are merged and lose their bound.
const SPAN_DECADES = 12;

export class QuantileSketch {
  readonly relativeAccuracy: number;
  private readonly logGamma: number;
  private readonly gamma: number;
  private pos: Bucketed;
  private neg: Bucketed;
  private readonly maxBuckets: number;
  private zero = 0;
  count = 0;

  constructor(relativeAccuracy = 0.01) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new RangeError(`relativeAccuracy must be in (0, 1), got ${relativeAccuracy}`);
    }
    this.relativeAccuracy = relativeAccuracy;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.maxBuckets = Math.max(4096, Math.ceil((SPAN_DECADES * Math.LN10) / this.logGamma));
    this.pos = new Bucketed(this.maxBuckets);
    this.neg = new Bucketed(this.maxBuckets);
  }

  add(v: number): void {
    this.count++;
    if (v > MIN_MAGNITUDE) this.pos.add(Math.ceil(Math.log(v) / this.logGamma));
    else if (v < -MIN_MAGNITUDE) this.neg.add(Math.ceil(Math.log(-v) / this.logGamma));
    else this.zero++;
  }

  /** Adds every observation of another sketch with the same accuracy. */
  merge(other: QuantileSketch): void {
    this.count += other.count;
    this.zero += other.zero;
    this.pos.merge(other.pos);
    this.neg.merge(other.neg);
  }

  clear(): void {
    this.pos = new Bucketed(this.maxBuckets);
    this.neg = new Bucketed(this.maxBuckets);
    this.zero = 0;
    this.count = 0;
  }

  /** The value at rank q*(count-1), or NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(0, Math.min(1, q)) * (this.count - 1);
    let seen = 0;
    // Ascending values: negatives from the largest magnitude down, zero, positives up.
    const n = this.neg;
    for (let i = n.counts.length - 1; i >= 0; i--) {
      seen += n.counts[i]!;
      if (seen > rank) return -this.value(n.offset + i);
    }
    seen += this.zero;
    if (seen > rank) return 0;
    const p = this.pos;
    for (let i = 0; i < p.counts.length; i++) {
      seen += p.counts[i]!;
      if (seen > rank) return this.value(p.offset + i);
    }
    return this.value(p.offset + p.counts.length - 1);
  }

  private value(index: number): number {
    return (2 * Math.pow(this.gamma, index)) / (this.gamma + 1);
  }
}

/** Dense counts for a contiguous range of bucket indexes, grown on demand. */
class Bucketed {
  counts = new Float64Array(0);
  offset = 0;
  constructor(private readonly max: number) {}

  add(index: number): void {
    let i = index - this.offset;
    if (i < 0 || i >= this.counts.length) i = this.grow(index);
    this.counts[i]!++;
  }

  merge(o: Bucketed): void {
    for (let i = 0; i < o.counts.length; i++) {
      const c = o.counts[i]!;
      if (c === 0) continue;
      let j = o.offset + i - this.offset;
      if (j < 0 || j >= this.counts.length) j = this.grow(o.offset + i);
      this.counts[j]! += c;
    }
  }

  /** Makes room for `index` and returns its slot. */
  private grow(index: number): number {
    if (this.counts.length === 0) {
      this.counts = new Float64Array(64);
      this.offset = index - 32;
      return index - this.offset;
    }
    const lo = Math.min(this.offset, index);
    const hi = Math.max(this.offset + this.counts.length - 1, index);
    let span = hi - lo + 1;
    let newLo = lo;
    if (span > this.max) {
      // Keep the largest magnitudes exact; fold the smallest into the lowest kept bucket.
      newLo = hi - this.max + 1;
      span = this.max;
    }
    const size = Math.min(this.max, Math.max(span + 32, this.counts.length * 2));
    const next = new Float64Array(size);
    // Centre the data when growing downwards so repeated small steps stay cheap.
    const base = index < this.offset ? Math.max(hi - size + 1, newLo - (size - span)) : newLo;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      next[Math.max(0, this.offset + i - base)]! += c;
    }
    this.counts = next;
    this.offset = base;
    return Math.max(0, index - base);
  }
}
