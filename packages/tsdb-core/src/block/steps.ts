// Long block jobs (writing, compacting) are written as generators that yield every so often;
// the same code then runs straight through (sync callers, tests) or pauses on a time budget
// so the event loop keeps serving scrapes and queries while a block is cut.
export type Steps<T> = Generator<void, T, void>;

/** How many units of work (series, postings lists) between yield points. */
export const STEP_UNITS = 256;

export function runSync<T>(g: Steps<T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** Runs g, giving the event loop a turn whenever `budgetMs` of work has passed. */
export async function runAsync<T>(g: Steps<T>, budgetMs = 10): Promise<T> {
  let last = performance.now();
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    const now = performance.now();
    if (now - last >= budgetMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
  }
}
