// Millisecond timestamps as two int32 halves. V8 keeps a double-valued object field in a
// separate heap number; small integers live in the object itself. A head series carries
// several timestamps, and at a few hundred thousand series those boxes were a third of all
// heap objects, every one visited by each major GC. Integers only (the chunk format stores
// int64 milliseconds), plus the two infinities used as "none" markers.
//
// Per-sample code must not turn halves back into a double through a helper: a double passed
// to or returned from a call V8 does not inline is boxed, one heap number per sample. It
// splits the sample time inline (splitHi/splitLo below, written out) and compares halves with
// timeCompare, which takes and returns small integers only.

export const TWO32 = 4294967296;
/** hi halves reserved for -Infinity and +Infinity; real timestamps stay within +-2^21. */
const NEG_INF_HI = -0x80000000;
const POS_INF_HI = 0x7fffffff;

/** High half of t. */
export function timeHi(t: number): number {
  if (t === -Infinity) return NEG_INF_HI;
  if (t === Infinity) return POS_INF_HI;
  return Math.floor(t / TWO32) | 0;
}

/** Low half of t (as int32), given hi = timeHi(t). */
export function timeLo(t: number, hi: number): number {
  return hi === NEG_INF_HI || hi === POS_INF_HI ? 0 : (t - hi * TWO32) | 0;
}

/** The timestamp from its halves (for reads off the per-sample path). */
export function joinTime(hi: number, lo: number): number {
  if (hi === NEG_INF_HI) return -Infinity;
  if (hi === POS_INF_HI) return Infinity;
  return hi * TWO32 + (lo >>> 0);
}

/** Sign of a - b, for timestamps given as halves (the infinity markers order correctly). */
export function timeCompare(aHi: number, aLo: number, bHi: number, bLo: number): number {
  if (aHi !== bHi) return aHi < bHi ? -1 : 1;
  const a = aLo >>> 0;
  const b = bLo >>> 0;
  return a === b ? 0 : a < b ? -1 : 1;
}
