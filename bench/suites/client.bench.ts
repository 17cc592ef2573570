// @promethium/client against prom-client 15 in one run: labelled hot paths, timers, and
// registry serialization at 1k/10k/100k series, plus the longest event-loop block of a scrape.
import * as ours from '@promethium/client';
import * as promClient from 'prom-client';
import { defineSuite, type BenchTask, type SuiteContext } from '../src/harness.js';

type Lib = typeof ours;
const LIBS: [string, Lib][] = [
  ['promethium', ours],
  ['prom-client', promClient as unknown as Lib],
];

const BATCH = 1000;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'];
const CODES = ['200', '201', '204', '301', '400', '404', '500', '503'];
const ROUTES = ['/a', '/b', '/c'];
// 8 x 8 x 3 label combinations, as prom-client's own "inc with labels" benchmark uses.
const LABELS = METHODS.flatMap((method) => CODES.flatMap((code) => ROUTES.map((route) => ({ method, code, route }))));

function hotPathTasks(): BenchTask[] {
  const tasks: BenchTask[] = [];
  for (const [impl, lib] of LIBS) {
    const registers = [new lib.Registry()];
    const labelNames = ['method', 'code', 'route'];
    const c = new lib.Counter({ name: 'c_total', help: 'h', labelNames, registers });
    const h = new lib.Histogram({ name: 'h_seconds', help: 'h', labelNames, registers });
    const s = new lib.Histogram({ name: 't_seconds', help: 'h', labelNames, registers });
    let k = 0;
    tasks.push(
      {
        name: 'labelled inc (8x8x3 label sets)',
        impl,
        itemsPerOp: BATCH,
        itemUnit: 'inc',
        fn: () => {
          for (let i = 0; i < BATCH; i++) c.inc(LABELS[k++ % LABELS.length], 1);
        },
      },
      {
        name: 'labelled observe (default buckets)',
        impl,
        itemsPerOp: BATCH,
        itemUnit: 'observe',
        fn: () => {
          for (let i = 0; i < BATCH; i++) h.observe(LABELS[k++ % LABELS.length]!, (k % 1000) / 200);
        },
      },
      {
        name: 'startTimer + end (labelled)',
        impl,
        itemsPerOp: BATCH,
        itemUnit: 'timer',
        fn: () => {
          for (let i = 0; i < BATCH; i++) s.startTimer(LABELS[k++ % LABELS.length])();
        },
      },
    );
  }
  return tasks;
}

/** A registry of `series` series: 10 counter families with two labels each. */
function buildRegistry(lib: Lib, series: number, openMetrics = false) {
  const reg = openMetrics ? new lib.Registry(lib.Registry.OPENMETRICS_CONTENT_TYPE) : new lib.Registry();
  const per = series / 10;
  for (let f = 0; f < 10; f++) {
    const c = new lib.Counter({ name: `family_${f}_total`, help: `Family ${f}.`, labelNames: ['instance', 'path'], registers: [reg] });
    for (let i = 0; i < per; i++) c.inc({ instance: `host-${i % 50}`, path: `/api/v1/item/${i}` }, i);
  }
  return reg;
}

/** Runs one scrape and reports its duration and the longest gap between 1 ms timer ticks. */
/** Forces a rope string flat, as writing it to a socket would, so neither side defers work. */
function flat(s: string): number {
  return s.charCodeAt(0);
}

async function scrapeBlock(reg: { metrics(): Promise<string> }): Promise<{ totalMs: number; maxBlockMs: number; cpuMs: number }> {
  let last = performance.now();
  let maxGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 5));
  last = performance.now();
  maxGap = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  flat(await reg.metrics());
  const c = process.cpuUsage(c0);
  const totalMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 3));
  clearInterval(probe);
  return { totalMs, maxBlockMs: Math.max(maxGap, performance.now() - last), cpuMs: (c.user + c.system) / 1000 };
}

async function serialization(ctx: SuiteContext): Promise<void> {
  const sizes = ctx.quick ? [1000] : [1000, 10_000, 100_000];
  for (const n of sizes) {
    const tasks: BenchTask[] = [];
    for (const [impl, lib] of LIBS) {
      const reg = buildRegistry(lib, n);
      tasks.push({ name: `metrics() ${n} series`, impl, itemsPerOp: n, itemUnit: 'series', fn: async () => flat(await reg.metrics()) });
    }
    await ctx.bench(tasks, n >= 100_000 ? { time: 3000, iterations: 8 } : {});
  }
  {
    // Histograms: 15 lines per series (11 default buckets, +Inf, _sum, _count).
    const hn = ctx.quick ? 100 : 10_000;
    const tasks: BenchTask[] = [];
    for (const [impl, lib] of LIBS) {
      const reg = new lib.Registry();
      const h = new lib.Histogram({ name: 'latency_seconds', help: 'Latency.', labelNames: ['route', 'code'], registers: [reg] });
      for (let i = 0; i < hn; i++) h.observe({ route: `/api/v1/item/${i}`, code: String(200 + (i % 5)) }, (i % 100) / 50);
      tasks.push({ name: `metrics() ${hn} histogram series`, impl, itemsPerOp: hn, itemUnit: 'series', fn: async () => flat(await reg.metrics()) });
    }
    await ctx.bench(tasks, { time: 3000, iterations: 8 });
  }
  // Worst case for line reuse: every series changed since the previous scrape. The timed
  // op includes the inc() of every series, which is itself cheaper here than in prom-client.
  {
    const n = ctx.quick ? 1000 : 100_000;
    const tasks: BenchTask[] = [];
    for (const [impl, lib] of LIBS) {
      const reg = buildRegistry(lib, n);
      const counters = reg.getMetricsAsArray() as unknown as InstanceType<Lib['Counter']>[];
      const labels = Array.from({ length: n / 10 }, (_, i) => ({ instance: `host-${i % 50}`, path: `/api/v1/item/${i}` }));
      tasks.push({
        name: `inc every series + metrics() ${n} series`,
        impl,
        itemsPerOp: n,
        itemUnit: 'series',
        fn: async () => {
          for (const c of counters) for (const l of labels) c.inc(l, 1);
          return flat(await reg.metrics());
        },
      });
    }
    await ctx.bench(tasks, { time: 3000, iterations: 8 });
  }
  const n = ctx.quick ? 1000 : 100_000;
  {
    // Prometheus asks for OpenMetrics first; a registry set to it serializes that way.
    const tasks: BenchTask[] = [];
    for (const [impl, lib] of LIBS) {
      const reg = buildRegistry(lib, n, true);
      tasks.push({ name: `metrics() OpenMetrics ${n} series`, impl, itemsPerOp: n, itemUnit: 'series', fn: async () => flat(await reg.metrics()) });
    }
    await ctx.bench(tasks, { time: 3000, iterations: 8 });
  }
  for (const [impl, lib] of LIBS) for (const om of [false, true]) {
    const reg = buildRegistry(lib, n, om);
    await reg.metrics(); // warm up
    const runs: { totalMs: number; maxBlockMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < (ctx.quick ? 1 : 5); i++) runs.push(await scrapeBlock(reg));
    const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    ctx.record({
      name: `longest event-loop block, metrics() ${om ? 'OpenMetrics ' : ''}of ${n} series`,
      impl,
      value: med(runs.map((r) => r.maxBlockMs)),
      unit: 'ms',
      note: `median of ${runs.length} scrapes; scrape wall time median ${med(runs.map((r) => r.totalMs)).toFixed(1)} ms; worst block ${Math.max(...runs.map((r) => r.maxBlockMs)).toFixed(1)} ms`,
    });
    // CPU time is what the scrape costs the process, whatever else the machine is running.
    ctx.record({
      name: `CPU time per scrape, metrics() ${om ? 'OpenMetrics ' : ''}of ${n} series`,
      impl,
      value: med(runs.map((r) => r.cpuMs)),
      unit: 'ms',
      note: `process.cpuUsage() user+system (includes GC threads), median of ${runs.length} scrapes`,
    });
  }
}

export default defineSuite({
  name: 'client',
  description: '@promethium/client vs prom-client 15: hot paths, timers, serialization, event-loop blocking',
  async run(ctx) {
    await ctx.bench(hotPathTasks());
    await serialization(ctx);
  },
});
