// Monotonic clock for timers: performance.now() avoids the array process.hrtime() allocates.

export function startClock(): number {
  return performance.now();
}

export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Start labels merged with end labels; no copy when the end call adds none. */
export function mergeLabels<L extends object>(start: L | undefined, end: L | undefined): L {
  if (end === undefined) return start ?? ({} as L);
  if (start === undefined) return end;
  return { ...start, ...end };
}
