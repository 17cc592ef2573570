// Bucket layouts for histograms, with prom-client's argument checks and messages.

export function linearBuckets(start: number, width: number, count: number): number[] {
  if (count < 1) throw new Error('Linear buckets needs a positive count');
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = start + i * width;
  return out;
}

export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (start <= 0) throw new Error('Exponential buckets needs a positive start');
  if (count < 1) throw new Error('Exponential buckets needs a positive count');
  if (factor <= 1) throw new Error('Exponential buckets needs a factor greater than 1');
  const out = new Array<number>(count);
  let v = start;
  for (let i = 0; i < count; i++) {
    out[i] = v;
    v *= factor;
  }
  return out;
}
