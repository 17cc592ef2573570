// The benchmark harness: every suite in bench/suites records rows through this,
// the runner prints them as one table per suite and writes JSON to bench/results/.
import { Bench } from 'tinybench';

export interface Row {
  /** What was measured, e.g. "parse 237-family payload". */
  name: string;
  /** Who: "promethium" or the peer's name ("prom-client", "prometheus 2.42"). */
  impl: string;
  /** The figure itself; medians for timings. */
  value: number;
  unit: string;
  /** Samples behind the figure and anything a reader needs to interpret it. */
  note?: string;
}

export interface SuiteContext {
  /** Runs tinybench over the given tasks and records median ops/s and latency per task. */
  bench(tasks: BenchTask[], options?: { time?: number; iterations?: number; warmupTime?: number }): Promise<void>;
  /** Records a figure measured by the suite itself (bytes/sample, RSS, MB/s, ...). */
  record(row: Row): void;
  /** True when the suite should use its quick sizes (BENCH_QUICK=1, used by smoke tests). */
  readonly quick: boolean;
}

export interface BenchTask {
  name: string;
  impl: string;
  fn: () => unknown;
  /** Units of work per call, so ops/s becomes items/s (samples, series, bytes). */
  itemsPerOp?: number;
  itemUnit?: string;
}

export interface Suite {
  name: string;
  description: string;
  run(ctx: SuiteContext): Promise<void>;
}

export function defineSuite(suite: Suite): Suite {
  return suite;
}

export function createContext(quick: boolean): { ctx: SuiteContext; rows: Row[] } {
  const rows: Row[] = [];
  const ctx: SuiteContext = {
    quick,
    record: (row) => rows.push(row),
    async bench(tasks, options = {}) {
      const b = new Bench({
        time: quick ? 50 : (options.time ?? 1000),
        iterations: quick ? 3 : (options.iterations ?? 10),
        warmupTime: quick ? 10 : (options.warmupTime ?? 200),
      });
      for (const t of tasks) b.add(`${t.impl}: ${t.name}`, t.fn);
      await b.run();
      tasks.forEach((t, i) => {
        const task = b.tasks[i];
        const r = task?.result;
        if (!r || !('latency' in r)) {
          const err = r && 'error' in r ? r.error.message : 'no result';
          throw new Error(`benchmark task "${t.impl}: ${t.name}" failed: ${err}`);
        }
        const medianMs = r.latency.p50;
        const perOp = t.itemsPerOp ?? 1;
        rows.push({
          name: t.name,
          impl: t.impl,
          value: medianMs > 0 ? (1000 / medianMs) * perOp : 0,
          unit: t.itemUnit ? `${t.itemUnit}/s` : 'ops/s',
          note: `median ${formatMs(medianMs)} per op, ${r.latency.samplesCount} samples`,
        });
      });
    },
  };
  return { ctx, rows };
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

export function formatValue(v: number): string {
  if (Math.abs(v) >= 1e9) return `${(v / 1e9).toFixed(2)}G`;
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
