// V8 sizes the old generation only 10-20% above live data when the heap is large and GC is
// fast, and starts marking again as soon as the headroom is below the young generation's
// size. A scraping server holds a big, slowly growing heap (the head), so it then spends most
// of its CPU re-marking it for a few MiB of garbage. Giving the heap 50% headroom is the same
// trade Go makes for Prometheus (GOGC=75..100: GC when the heap grows by that much).
// The memory reducer (full GCs to shrink the heap once allocation slows down, meant for idle
// browser tabs) is off too: after start-up it re-marked the whole head two or three times in
// a row, and a server's heap is meant to stay at its working size.
//
// Every production start passes SERVER_NODE_FLAGS to node (the bin's shebang, `npm start`, the
// Docker entrypoint; a test keeps them in step): V8 reads the memory reducer flag only at
// start-up. A start without them still gets the headroom, set here at run time.
import { setFlagsFromString } from 'node:v8';

/** The default headroom, in percent of live heap. */
export const HEAP_GROWING_PERCENT = 50;

/** The node flags every production start of the server uses. */
export const SERVER_NODE_FLAGS = [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, '--no-memory-reducer'] as const;

const given = (execArgv: readonly string[], name: string): boolean =>
  execArgv.some((a) => {
    const flag = a.replace(/_/g, '-').split('=')[0]!;
    return flag === `--${name}` || flag === `--no-${name}`;
  });

/**
 * Applies the headroom unless node was started with a headroom of its own. Returns the flag
 * it set, if any.
 */
export function tuneHeapGrowth(execArgv: readonly string[] = process.execArgv): string | undefined {
  if (given(execArgv, 'heap-growing-percent')) return undefined;
  setFlagsFromString(SERVER_NODE_FLAGS[0]);
  return SERVER_NODE_FLAGS[0];
}
