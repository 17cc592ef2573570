// The in-memory side of tsdb-core: append throughput with the WAL on, memory per active
// series, WAL replay time and XOR chunk decode speed.
// Sizes: TSDB_BENCH_SERIES (default 200k; the figure is 1M) x 120 samples per series.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DB, Labels, XORChunk, XORDecodeState, XORIterator, decodeXOR, nopLogger, openDB } from '@promethium/tsdb-core';
import { defineSuite } from '../src/harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const T0 = 1_700_000_000_000;
const STEP = 15_000;

/** Node-exporter-like label sets: 100 metric names, 100 series per instance. */
function makeLabels(n: number): Labels[] {
  const out: Labels[] = new Array<Labels>(n);
  for (let i = 0; i < n; i++) {
    out[i] = Labels.from({
      __name__: `node_metric_${i % 100}_total`,
      instance: `host-${Math.floor(i / 100)}.example.org:9100`,
      job: 'node',
      cpu: String(i % 8),
      mode: `m${Math.floor(i / 800) % 10}`,
    });
  }
  return out;
}

/** Half counters (integer increments), half 2-decimal random-walk gauges. */
function value(i: number, s: number): number {
  if (i % 2 === 0) return i * 10 + s * ((i % 5) + 1);
  const x = Math.sin(i * 12.9898 + s * 78.233) * 43758.5453;
  return Math.round((100 + (i % 50) + (x - Math.floor(x)) * 10) * 100) / 100;
}

/** Wall and CPU seconds since a start mark: on a shared machine CPU time is the steadier figure. */
function mark(): () => { wall: number; cpu: number } {
  const w = performance.now();
  const c = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(c);
    return { wall: (performance.now() - w) / 1000, cpu: (d.user + d.system) / 1e6 };
  };
}

/** Appends rounds over all series in commits of 1000 series; returns samples/s after round 0. */
async function appendRounds(
  db: DB,
  labels: Labels[],
  from: number,
  to: number,
  concurrency = 1,
): Promise<{ wall: number; cpu: number }> {
  const refs = new Float64Array(labels.length);
  let elapsed = mark();
  let appended = 0;
  for (let s = from; s < to; s++) {
    if (s === from + 1) {
      elapsed = mark();
      appended = 0;
    }
    const t = T0 + s * STEP;
    const inflight: Promise<void>[] = [];
    for (let b = 0; b < labels.length; b += 1000) {
      const app = db.appender();
      const end = Math.min(b + 1000, labels.length);
      for (let i = b; i < end; i++) refs[i] = app.append(refs[i]!, labels[i]!, t, value(i, s));
      appended += end - b;
      inflight.push(app.commit());
      if (inflight.length >= concurrency) await Promise.all(inflight.splice(0));
    }
    await Promise.all(inflight);
  }
  const e = elapsed();
  return { wall: appended / e.wall, cpu: appended / e.cpu };
}

function memory(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
}

export default defineSuite({
  name: 'tsdb-head',
  description: 'tsdb-core head: append with WAL, memory per series, WAL replay, chunk decode',
  async run(ctx) {
    const series = ctx.quick ? 5_000 : Number(process.env['TSDB_BENCH_SERIES'] ?? 200_000);
    // TSDB_BENCH_ONLY=decode runs just the chunk decode part (seconds instead of minutes).
    const only = process.env['TSDB_BENCH_ONLY'];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'promethium-bench-head-'));
    try {
      if (only !== 'decode') await heavyParts();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    await decodeParts();

    async function heavyParts(): Promise<void> {
      // 1. Append throughput, WAL on, commits of 1000 series: fsync per commit vs write(2) only.
      const appendSeries = Math.min(series, 100_000);
      const appendLabels = makeLabels(appendSeries);
      const rounds = ctx.quick ? 3 : 12;
      const modes: { name: string; sync: 'commit' | 'none'; concurrency: number }[] = [
        { name: 'walSync=none (write(2) per commit, kill -9 safe; Prometheus default)', sync: 'none', concurrency: 1 },
        { name: 'walSync=commit, 1 appender (fsync per commit)', sync: 'commit', concurrency: 1 },
        { name: 'walSync=commit, 16 concurrent appenders (group fsync)', sync: 'commit', concurrency: 16 },
      ];
      for (const mode of modes) {
        const dir = fs.mkdtempSync(path.join(root, 'append-'));
        const db = await openDB(dir, { logger: nopLogger, walSync: mode.sync, compactionInterval: 0, blocks: false, headSnapshot: false });
        const rate = await appendRounds(db, appendLabels, 0, rounds, mode.concurrency);
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
        ctx.record({
          name: `append, commits of 1000 series, ${mode.name}`,
          impl: 'promethium',
          value: rate.wall,
          unit: 'samples/s',
          note: `${(rate.cpu / 1e6).toFixed(2)}M samples per CPU-second; ${appendSeries} series x ${rounds - 1} rounds after series creation (target >= 1.5M/s)`,
        });
      }

      // 2. Memory per active series holding 120 samples, and 3. WAL replay of the same data.
      const dir = path.join(root, 'mem');
      // In a function so the filled head is garbage before the replay is measured.
      await (async () => {
        const labels = makeLabels(series);
        const before = memory();
        const db = await openDB(dir, { logger: nopLogger, walSync: 'none', compactionInterval: 0, blocks: false, headSnapshot: false });
        const fillStart = performance.now();
        await appendRounds(db, labels, 0, 120);
        const fillSeconds = (performance.now() - fillStart) / 1000;
        const after = memory();
        const chunkBytes = [...db.head.allSeries()].reduce((a, s) => a + (s.head?.capacity() ?? 0), 0);
        ctx.record({
          name: `heap per series (120 samples each, ${series} series)`,
          impl: 'promethium',
          value: (after.heap - before.heap) / series,
          unit: 'bytes',
          note: `heap+arrayBuffers delta ${((after.heap - before.heap) / 2 ** 20).toFixed(0)} MiB; chunk buffers ${(chunkBytes / 2 ** 20).toFixed(0)} MiB; filled in ${fillSeconds.toFixed(1)} s; 1M series extrapolates to ${(((after.heap - before.heap) / series) * 1e6 / 2 ** 30).toFixed(2)} GiB (target < 3 GiB)`,
        });
        ctx.record({
          name: `RSS per series (120 samples each, ${series} series)`,
          impl: 'promethium',
          value: (after.rss - before.rss) / series,
          unit: 'bytes',
          note: `RSS delta ${((after.rss - before.rss) / 2 ** 20).toFixed(0)} MiB, total RSS ${(after.rss / 2 ** 20).toFixed(0)} MiB`,
        });
        await db.close();
      })();
      memory();
      let walBytes = 0;
      for (const f of fs.readdirSync(path.join(dir, 'wal'))) walBytes += fs.statSync(path.join(dir, 'wal', f)).size;
      const replayed = mark();
      const db2 = await openDB(dir, { logger: nopLogger, compactionInterval: 0, blocks: false, headSnapshot: true });
      const { wall: replaySeconds, cpu: replayCpu } = replayed();
      ctx.record({
        name: `WAL replay, ${series} series x 120 samples`,
        impl: 'promethium',
        value: replaySeconds,
        unit: 's',
        note: `${db2.replayStats.samples} samples, WAL ${(walBytes / 2 ** 20).toFixed(0)} MiB, ${(db2.replayStats.samples / replaySeconds / 1e6).toFixed(2)}M samples/s (${replayCpu.toFixed(1)} CPU-s); 1M series extrapolates to ${((replaySeconds * 1e6) / series).toFixed(1)} s (target < 30 s)`,
      });
      // 3b. The same restart through the msgpackr head snapshot written by close().
      const snapWrite = mark();
      await db2.close();
      const wrote = snapWrite();
      const snapBytes = fs
        .readdirSync(dir)
        .filter((f) => f.startsWith('head_snapshot.'))
        .reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
      const snapLoad = mark();
      const db3 = await openDB(dir, { logger: nopLogger, compactionInterval: 0, blocks: false, headSnapshot: false });
      const loaded = snapLoad();
      if (db3.replayStats.snapshot === undefined) throw new Error('head snapshot was not used');
      ctx.record({
        name: `restart from head snapshot, ${series} series x 120 samples`,
        impl: 'promethium',
        value: loaded.wall,
        unit: 's',
        note: `${loaded.cpu.toFixed(1)} CPU-s; snapshot ${(snapBytes / 2 ** 20).toFixed(0)} MiB written on close in ${wrote.wall.toFixed(1)} s; vs WAL replay ${replaySeconds.toFixed(1)} s`,
      });
      await db3.close();
      fs.rmSync(dir, { recursive: true, force: true });

    }

    // 4. Chunk decode: 1000 chunks of 120 samples of (a) the mixed data above (half 2-decimal
    // random gauges) and (b) node-exporter-like series: counters with small integer increments
    // and gauges that rarely change, at a scrape interval with occasional 1 ms jitter.
    async function decodeParts(): Promise<void> {
      const sets: { name: string; gen: (i: number, s: number) => number }[] = [
        { name: 'mixed counters + random gauges', gen: value },
        {
          name: 'node-exporter-like',
          gen: (i, s) => (i % 3 === 0 ? 1000 + Math.floor(s / 30) : i * 100 + s * (i % 4) + Math.floor((s * s) / 50)),
        },
      ];
      const it = new XORIterator();
      const bulkT = new Float64Array(120);
      const bulkV = new Float64Array(120);
      const bulkState = new XORDecodeState();
      let sink = 0;
      for (const set of sets) {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < 1000; i++) {
          const c = new XORChunk();
          for (let s = 0; s < 120; s++) c.append(T0 + s * STEP + (s % 10 === 0 ? 1 : 0), set.gen(i, s));
          chunks.push(c.bytes().slice());
        }
        const bytes = chunks.reduce((a, c) => a + c.length, 0);
        const label = `${set.name}, ${(bytes / 120_000).toFixed(2)} bytes/sample`;
        await ctx.bench([
          {
            name: `decode 1000 XOR chunks x 120 samples (${label})`,
            impl: 'promethium',
            itemsPerOp: 120_000,
            itemUnit: 'samples',
            fn: () => {
              for (const c of chunks) {
                it.reset(c, 120);
                while (it.next()) sink += it.value();
              }
            },
          },
          {
            name: `bulk decodeXOR 1000 chunks x 120 samples into typed arrays (${label})`,
            impl: 'promethium',
            itemsPerOp: 120_000,
            itemUnit: 'samples',
            fn: () => {
              for (const c of chunks) {
                const n = decodeXOR(c, 120, bulkT, bulkV, bulkState);
                sink += bulkV[n - 1]! + bulkT[n - 1]!;
              }
            },
          },
        ]);
        // The same loop timed on CPU time, steadier than wall time on a shared machine.
        const decodeMark = mark();
        let decoded = 0;
        for (let r = 0; r < (ctx.quick ? 5 : 200); r++) {
          for (const c of chunks) {
            it.reset(c, 120);
            while (it.next()) {
              sink += it.value();
              decoded++;
            }
          }
        }
        const d = decodeMark();
        ctx.record({
          name: `decode per CPU-second, iterator (${label})`,
          impl: 'promethium',
          value: decoded / d.cpu,
          unit: 'samples/s',
          note: `${decoded} samples in ${d.cpu.toFixed(2)} CPU-s (${d.wall.toFixed(2)} s wall); target >= 50M/s`,
        });
        const bulkMark = mark();
        let bulk = 0;
        for (let r = 0; r < (ctx.quick ? 5 : 200); r++) {
          for (const c of chunks) {
            const n = decodeXOR(c, 120, bulkT, bulkV, bulkState);
            sink += bulkV[n - 1]!;
            bulk += n;
          }
        }
        const b = bulkMark();
        ctx.record({
          name: `decode per CPU-second, bulk decodeXOR (${label})`,
          impl: 'promethium',
          value: bulk / b.cpu,
          unit: 'samples/s',
          note: `${bulk} samples in ${b.cpu.toFixed(2)} CPU-s (${b.wall.toFixed(2)} s wall); target >= 50M/s`,
        });
      }
      if (sink === 0) throw new Error('decode produced nothing');
    }
  },
});
