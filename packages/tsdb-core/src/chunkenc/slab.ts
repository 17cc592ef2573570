// Chunk byte buffers carved out of shared 4 MiB slabs. A million series each holding its own
// small ArrayBuffer means a million backing-store allocations and as many array-buffer
// extensions for the garbage collector to track and sweep; regions of a few hundred slabs
// avoid both. A slab is freed once no chunk in it is referenced any more; regions are never
// reused, so a region starts out zeroed, as the XOR writer requires.
const SLAB_BYTES = 1 << 22;
/** Larger buffers get their own allocation: they are rare and would fragment slabs. */
const MAX_SLAB_ALLOC = 4096;

let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/**
 * Where the last reserveChunkBytes() region lives: `bytes[start, start + n)`. A head chunk
 * keeps (array, offset) rather than a view: a view is one more heap object per chunk, made
 * again each time the chunk grows, and a whole scrape round of series growing at once
 * promoted enough of them to set off repeated major GCs.
 */
export const region = { bytes: slab, start: 0 };

/** Reserves n zeroed bytes, described by `region` until the next call. */
export function reserveChunkBytes(n: number): void {
  if (n > MAX_SLAB_ALLOC) {
    region.bytes = new Uint8Array(n);
    region.start = 0;
    return;
  }
  if (used + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  region.bytes = slab;
  region.start = used;
  used += n;
}

/** A zeroed buffer of n bytes (a view into a slab for small n). */
export function allocChunkBytes(n: number): Uint8Array {
  reserveChunkBytes(n);
  return region.bytes.subarray(region.start, region.start + n);
}

/** A copy of src in slab memory. */
export function copyChunkBytes(src: Uint8Array): Uint8Array {
  const b = allocChunkBytes(src.length);
  b.set(src);
  return b;
}
