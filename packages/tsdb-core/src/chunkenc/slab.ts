// Chunk byte buffers carved out of shared 4 MiB slabs. A million series each holding its own
// small ArrayBuffer means a million backing-store allocations and as many array-buffer
// extensions for the garbage collector to track and sweep; views into a few hundred slabs
// avoid both. A slab is freed once no chunk in it is referenced any more; regions are never
// reused, so a region starts out zeroed, as the XOR writer requires.
const SLAB_BYTES = 1 << 22;
/** Larger buffers get their own allocation: they are rare and would fragment slabs. */
const MAX_SLAB_ALLOC = 4096;

let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/** A zeroed buffer of n bytes (a view into a slab for small n). */
export function allocChunkBytes(n: number): Uint8Array {
  if (n > MAX_SLAB_ALLOC) return new Uint8Array(n);
  if (used + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const b = slab.subarray(used, used + n);
  used += n;
  return b;
}

/** A copy of src in slab memory. */
export function copyChunkBytes(src: Uint8Array): Uint8Array {
  const b = allocChunkBytes(src.length);
  b.set(src);
  return b;
}
