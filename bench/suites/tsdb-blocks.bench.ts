// Bytes per sample of persisted blocks, Promethium vs Prometheus (promtool) on the same input:
// (a) a real node exporter's series captured over N scrapes and replayed at a regular 15 s
//     interval for two hours (one block), (b) random-walk gauges with two decimals.
// Both sides get identical samples: we write our block directly, and promtool builds its
// block from an OpenMetrics file holding the same samples. Also: block write and read speed.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, Matcher, chunksFromSamples, compactBlocks, openBlock, writeBlock } from '@promethium/tsdb-core';
import type { BlockSeries } from '@promethium/tsdb-core';
import { defineSuite } from '../src/harness.js';
import type { SuiteContext } from '../src/harness.js';

const PROMTOOL = '/usr/bin/promtool';
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const H2 = 7_200_000;
const STEP = 15_000;

interface SeriesData {
  /** Series text as exposed, e.g. `up{job="x"}`, reused verbatim in the OpenMetrics file. */
  text: string;
  labels: Labels;
  values: string[];
}

function parseValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  return Number(s);
}

/** Parses `name{a="b",...}` of the text format (escapes \\ \" \n). */
function parseSeries(text: string): Labels {
  const brace = text.indexOf('{');
  if (brace < 0) return Labels.from({ __name__: text });
  const pairs: [string, string][] = [['__name__', text.slice(0, brace)]];
  let i = brace + 1;
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq).replace(/^,/, '');
    i = eq + 2;
    let v = '';
    while (text[i] !== '"') {
      if (text[i] === '\\') {
        const c = text[i + 1];
        v += c === 'n' ? '\n' : c;
        i += 2;
      } else v += text[i++];
    }
    pairs.push([name, v]);
    i++;
    if (text[i] === ',') i++;
  }
  return Labels.from(pairs);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Scrapes a real node exporter `n` times; returns series with their values in scrape order. */
async function captureNodeExporter(n: number): Promise<SeriesData[]> {
  const port = await freePort();
  const proc = spawn(NODE_EXPORTER, ['--no-collector.systemd', `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    const scrapes: Map<string, string>[] = [];
    for (let attempt = 0; scrapes.length < n; attempt++) {
      try {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const m = new Map<string, string>();
        for (const line of body.split('\n')) {
          if (line === '' || line.startsWith('#')) continue;
          const sp = line.lastIndexOf(' ');
          m.set(line.slice(0, sp), line.slice(sp + 1));
        }
        scrapes.push(m);
      } catch (e) {
        if (attempt > 50) throw e;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // Keep series present in every scrape.
    const out: SeriesData[] = [];
    for (const text of scrapes[0]!.keys()) {
      if (!scrapes.every((s) => s.has(text))) continue;
      out.push({ text, labels: parseSeries(text), values: scrapes.map((s) => s.get(text)!) });
    }
    return out;
  } finally {
    proc.kill('SIGKILL');
  }
}

/** Index into `n` captured scrapes for sample k: 0..n-1, n-2..1, 0.. (exact values, real deltas). */
function pingPong(k: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const p = k % period;
  return p < n ? p : period - p;
}

function randomWalks(nSeries: number, samples: number): SeriesData[] {
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out: SeriesData[] = [];
  for (let i = 0; i < nSeries; i++) {
    let v = Math.round(rnd() * 10000) / 100;
    const values: string[] = [];
    for (let j = 0; j < samples; j++) {
      v = Math.round((v + (rnd() - 0.5) * 2) * 100) / 100;
      values.push(String(v));
    }
    const text = `random_walk{series="${i}"}`;
    out.push({ text, labels: parseSeries(text), values });
  }
  return out;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

interface Measured {
  samples: number;
  chunkBytes: number;
  blockBytes: number;
  blocks: number;
}

function measure(dataDir: string): Measured {
  let samples = 0;
  let chunkBytes = 0;
  let blockBytes = 0;
  let blocks = 0;
  for (const id of readdirSync(dataDir)) {
    const dir = join(dataDir, id);
    if (!existsSync(join(dir, 'meta.json'))) continue;
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { stats: { numSamples: number } };
    samples += meta.stats.numSamples;
    chunkBytes += dirBytes(join(dir, 'chunks'));
    blockBytes += dirBytes(dir);
    blocks++;
  }
  return { samples, chunkBytes, blockBytes, blocks };
}

async function compare(ctx: SuiteContext, label: string, data: SeriesData[], samplesPerSeries: number, valueAt: (s: SeriesData, k: number) => string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-tsdb-blocks-'));
  try {
    const nBlocks = Math.ceil((samplesPerSeries * STEP) / H2);
    const t0 = Math.floor(Date.now() / H2) * H2 - (nBlocks + 2) * H2;
    const ts = Array.from({ length: samplesPerSeries }, (_, k) => t0 + k * STEP);
    const values = data.map((s) => ts.map((_, k) => parseValue(valueAt(s, k))));
    // One 2h block per range, as the head cuts them (and as promtool backfills).
    const perBlock: { series: BlockSeries[]; range: { mint: number; maxt: number } }[] = [];
    for (let i = 0; i < nBlocks; i++) {
      const mint = t0 + i * H2;
      const maxt = mint + H2;
      const lo = ts.findIndex((t) => t >= mint);
      const hi = Math.min(ts.length, lo + H2 / STEP);
      perBlock.push({
        range: { mint, maxt },
        series: data.map((s, j) => ({ labels: s.labels, chunks: chunksFromSamples(ts.slice(lo, hi), values[j]!.slice(lo, hi)) })),
      });
    }
    const ours = join(work, 'ours');
    mkdirSync(ours);
    for (const pb of perBlock) writeBlock(ours, pb.series, pb.range);
    const o = measure(ours);
    const opened = await Promise.all(readdirSync(ours).map((id) => openBlock(join(ours, id))));
    const b = opened[0]!;
    const readAll = (): number => {
      const q = b.querier(-Infinity, Infinity);
      let read = 0;
      for (const s of q.select([new Matcher('=~', '__name__', '.+')])) {
        const it = s.iterator();
        while (it.next()) read++;
      }
      q.close();
      return read;
    };
    const read = readAll();
    if (read !== b.meta.stats.numSamples) throw new Error(`read back ${read} samples, block holds ${b.meta.stats.numSamples}`);
    const series = perBlock[0]!.series;
    const range = perBlock[0]!.range;
    // The same data after compaction into one larger block (what Prometheus does after 6h).
    const compacted = join(work, 'compacted');
    mkdirSync(compacted);
    if (opened.length > 1) compactBlocks(compacted, opened);
    const c = opened.length > 1 ? measure(compacted) : undefined;

    const note = `${data.length} series x ${samplesPerSeries} samples`;
    ctx.record({ name: `${label}: chunk bytes/sample`, impl: 'promethium', value: o.chunkBytes / o.samples, unit: 'B/sample', note: `${note}, ${o.chunkBytes} bytes` });
    ctx.record({ name: `${label}: block bytes/sample`, impl: 'promethium', value: o.blockBytes / o.samples, unit: 'B/sample', note: `${o.blocks} block(s), ${o.blockBytes} bytes` });
    if (c) {
      ctx.record({ name: `${label}: block bytes/sample, compacted`, impl: 'promethium', value: c.blockBytes / c.samples, unit: 'B/sample', note: `${o.blocks} blocks -> 1 (${(nBlocks * 2)}h, level 2)` });
    }
    const scratch = join(work, 'scratch');
    mkdirSync(scratch);
    await ctx.bench(
      [
        {
          name: `${label}: write block (encoded chunks -> files, fsync)`,
          impl: 'promethium',
          fn: () => {
            const m = writeBlock(scratch, series, range);
            rmSync(join(scratch, m.ulid), { recursive: true });
          },
          itemsPerOp: b.meta.stats.numSamples,
          itemUnit: 'samples',
        },
        { name: `${label}: read block (select all, decode)`, impl: 'promethium', fn: readAll, itemsPerOp: read, itemUnit: 'samples' },
      ],
      { time: 2000, iterations: 5 },
    );
    for (const x of opened) x.close();

    if (!existsSync(PROMTOOL)) {
      ctx.record({ name: `${label}: chunk bytes/sample`, impl: 'prometheus 2.42', value: NaN, unit: 'B/sample', note: 'promtool not installed' });
      return;
    }
    const om = join(work, 'input.om');
    const lines: string[] = [];
    for (const s of data) ts.forEach((t, k) => lines.push(`${s.text} ${valueAt(s, k)} ${t / 1000}`));
    lines.push('# EOF', '');
    writeFileSync(om, lines.join('\n'));
    const theirs = join(work, 'promtool');
    const ps = performance.now();
    execFileSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', om, theirs], { stdio: 'ignore' });
    const pMs = performance.now() - ps;
    const p = measure(theirs);
    if (p.samples !== o.samples) throw new Error(`promtool stored ${p.samples} samples, we stored ${o.samples}`);
    ctx.record({ name: `${label}: chunk bytes/sample`, impl: 'prometheus 2.42', value: p.chunkBytes / p.samples, unit: 'B/sample', note: `${note}, ${p.chunkBytes} bytes` });
    ctx.record({ name: `${label}: block bytes/sample`, impl: 'prometheus 2.42', value: p.blockBytes / p.samples, unit: 'B/sample', note: `${p.blocks} block(s), ${p.blockBytes} bytes` });
    ctx.record({ name: `${label}: create-blocks-from openmetrics`, impl: 'prometheus 2.42', value: p.samples / (pMs / 1000), unit: 'samples/s', note: `${pMs.toFixed(0)} ms, one run, incl. parsing` });
    ctx.record({ name: `${label}: chunk bytes ratio`, impl: 'promethium/prometheus', value: o.chunkBytes / p.chunkBytes, unit: 'x', note: '<= 1 meets the target' });
    ctx.record({ name: `${label}: block bytes ratio`, impl: 'promethium/prometheus', value: o.blockBytes / p.blockBytes, unit: 'x', note: '<= 1 meets the target' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export default defineSuite({
  name: 'tsdb-blocks',
  description: 'persisted block size (bytes/sample) vs promtool-built blocks, block write/read speed',
  async run(ctx) {
    const perSeries = ctx.quick ? 480 : 1440; // 1440 x 15 s = 6 h = three 2h blocks
    if (existsSync(NODE_EXPORTER)) {
      const captured = await captureNodeExporter(ctx.quick ? 5 : 40);
      const n = captured[0]?.values.length ?? 1;
      await compare(ctx, 'node exporter', captured, perSeries, (s, k) => s.values[pingPong(k, n)]!);
    } else {
      ctx.record({ name: 'node exporter', impl: 'promethium', value: NaN, unit: 'B/sample', note: `${NODE_EXPORTER} not installed` });
    }
    const walks = randomWalks(ctx.quick ? 100 : 1000, perSeries);
    await compare(ctx, 'random walk 2 decimals', walks, perSeries, (s, k) => s.values[k]!);
  },
});
