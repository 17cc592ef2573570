// V8 sizes the old generation only 10-20% above live data when the heap is large and GC is
// fast, and starts marking again as soon as the headroom is below the young generation's
// size. A scraping server holds a big, slowly growing heap (the head), so it then spends most
// of its CPU re-marking it for a few MiB of garbage. Giving the heap 50% headroom is the same
// trade Go makes for Prometheus (GOGC=75..100: GC when the heap grows by that much).
import { setFlagsFromString } from 'node:v8';

/** The default headroom, in percent of live heap. */
export const HEAP_GROWING_PERCENT = 50;

/** Applies the headroom unless the operator set their own on the node command line. */
export function tuneHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
