// Quantiles over a sliding time window: a ring of `ageBuckets` sketches, each covering
// maxAgeSeconds/ageBuckets. Observations go into the newest slot only; a query merges the
// ring, so it sees the last maxAgeSeconds (minus at most one slot's age) of observations.
import { QuantileSketch } from './quantile-sketch.js';

export class QuantileWindow {
  private readonly ring: QuantileSketch[];
  private head = 0;
  private lastRotate: number;
  private readonly slotMs: number;

  constructor(
    maxAgeSeconds: number | undefined,
    ageBuckets: number | undefined,
    private readonly accuracy: number,
    private readonly now: () => number = Date.now,
  ) {
    const windowed = maxAgeSeconds !== undefined && maxAgeSeconds > 0;
    const n = windowed ? Math.max(1, Math.floor(ageBuckets ?? 5)) : 1;
    this.ring = Array.from({ length: n }, () => new QuantileSketch(accuracy));
    this.slotMs = windowed ? (maxAgeSeconds * 1000) / n : Infinity;
    this.lastRotate = this.now();
  }

  add(v: number): void {
    if (this.slotMs !== Infinity) this.rotate();
    this.ring[this.head]!.add(v);
  }

  /** Observations currently inside the window. */
  size(): number {
    this.rotate();
    let n = 0;
    for (const s of this.ring) n += s.count;
    return n;
  }

  quantiles(qs: readonly number[]): number[] {
    this.rotate();
    let s = this.ring[0]!;
    if (this.ring.length > 1) {
      s = new QuantileSketch(this.accuracy);
      for (const slot of this.ring) s.merge(slot);
    }
    return qs.map((q) => s.quantile(q));
  }

  reset(): void {
    for (const s of this.ring) s.clear();
  }

  private rotate(): void {
    if (this.slotMs === Infinity) return;
    const now = this.now();
    let elapsed = now - this.lastRotate;
    if (elapsed < this.slotMs) return;
    if (elapsed >= this.slotMs * this.ring.length) {
      // Idle longer than the whole window: everything has aged out.
      this.reset();
      this.lastRotate = now;
      return;
    }
    while (elapsed >= this.slotMs) {
      this.head = (this.head + 1) % this.ring.length;
      this.ring[this.head]!.clear();
      this.lastRotate += this.slotMs;
      elapsed -= this.slotMs;
    }
  }
}
