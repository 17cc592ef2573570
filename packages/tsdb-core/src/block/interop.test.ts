// Interop with Debian's real Prometheus 2.42 and promtool, both directions:
// our blocks are listed, analyzed, dumped and queried by them, and blocks promtool builds
// from OpenMetrics are read by us with identical answers. Skipped when the binaries are absent.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Labels } from '../labels.js';
import { Matcher } from '../matcher.js';
import { openBlock } from './block.js';
import type { BlockSeries } from './series-chunks.js';
import { chunksFromSamples } from './series-chunks.js';
import type { RunningPrometheus } from '../test-support/blocks.js';
import { hasPrometheus, hasPromtool, parseDump, promtool, startPrometheus, tempDir } from '../test-support/blocks.js';
import { openDB } from '../db.js';
import { nopLogger } from '../logger.js';
import { compactBlocks } from '../compact/compactor.js';
import { MergeQuerier } from '../querier/merge.js';
import { deleteBlockDir, listBlockDirs } from './list.js';
import { fileBlockStore } from './store.js';
import { writeBlock } from './writer.js';

const H2 = 7_200_000;
// A recent, 2h-aligned block range, so a real Prometheus' 15d retention keeps it.
const T0 = Math.floor(Date.now() / H2) * H2 - 2 * H2;

interface Input {
  labels: Labels;
  ts: number[];
  vs: number[];
}

function makeInput(): Input[] {
  const out: Input[] = [];
  let seed = 42;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 8; i++) {
    const ts: number[] = [];
    const vs: number[] = [];
    let v = 100 * i;
    for (let j = 0; j < 480; j++) {
      // Mostly 15 s, with jitter and a gap, so the timestamp encoding is exercised.
      ts.push(T0 + j * 15_000 + (j % 7 === 3 ? Math.floor(rnd() * 900) : 0) + (j > 300 ? 60_000 : 0));
      v = i % 2 ? v + Math.floor(rnd() * 10) : Math.round((v + rnd() - 0.5) * 100) / 100;
      vs.push(j === 100 ? -0 : v);
    }
    out.push({ labels: Labels.from({ __name__: i % 2 ? 'interop_requests_total' : 'interop_temp', shard: String(i), zone: i < 4 ? 'eu ☃' : 'us "x"' }), ts, vs });
  }
  return out;
}

function toBlockSeries(input: Input[]): BlockSeries[] {
  return input.map((s) => ({ labels: s.labels, chunks: chunksFromSamples(s.ts, s.vs) }));
}

/** The input as an OpenMetrics file (one family after another, as the format requires). */
function writeOpenMetrics(dir: string, input: Input[]): string {
  const lines: string[] = [];
  const typed = new Set<string>();
  // OpenMetrics wants each metric family contiguous: group the series by name.
  const byName = [...input].sort((x, y) => x.labels.get('__name__').localeCompare(y.labels.get('__name__')));
  for (const s of byName) {
    const name = s.labels.get('__name__');
    if (!typed.has(name)) {
      typed.add(name);
      lines.push(`# TYPE ${name} gauge`);
    }
    const lbls = s.labels
      .without('__name__')
      .toArray()
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
      .join(',');
    s.ts.forEach((t, i) => lines.push(`${name}{${lbls}} ${Object.is(s.vs[i], -0) ? '-0' : s.vs[i]} ${(t / 1000).toFixed(3)}`));
  }
  lines.push('# EOF');
  const om = join(dir, 'input.om');
  writeFileSync(om, lines.join('\n') + '\n');
  return om;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tmp(): string {
  const t = tempDir('promethium-interop-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe.skipIf(!hasPromtool)('promtool reads Promethium blocks', () => {
  it('lists, analyzes and dumps exactly our samples', async () => {
    const dir = tmp();
    const input = makeInput();
    const meta = writeBlock(dir, toBlockSeries(input), { mint: T0, maxt: T0 + 2 * H2 });
    mkdirSync(join(dir, 'wal')); // promtool dump opens the directory as a read-only DB

    const list = await promtool('tsdb', 'list', dir);
    const row = list.split('\n').find((l) => l.startsWith(meta.ulid));
    expect(row).toBeDefined();
    expect(row!.split(/\s+/).slice(1, 7)).toEqual([String(T0), String(T0 + 2 * H2), '4h0m0s', '3840', String(meta.stats.numChunks), '8']);

    const analyze = await promtool('tsdb', 'analyze', dir, meta.ulid);
    expect(analyze).toContain('Series: 8');
    expect(analyze).toContain('Label names: 3');
    expect(analyze).toMatch(/4 zone=eu ☃/);

    const dumped = parseDump(await promtool('tsdb', 'dump', dir));
    expect(dumped.size).toBe(8);
    for (const s of input) {
      const got = dumped.get(s.labels.toString());
      expect(got, s.labels.toString()).toBeDefined();
      expect(got!.map(([t]) => t)).toEqual(s.ts);
      expect(got!.map(([, v]) => v)).toEqual(s.vs);
    }
  });
});

describe.skipIf(!hasPrometheus)('a real Prometheus serves Promethium data', () => {
  let prom: RunningPrometheus | undefined;
  afterEach(async () => {
    await prom?.stop();
    prom = undefined;
  });

  it('answers /api/v1/query with the samples of our block', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    mkdirSync(data);
    const input = makeInput();
    writeBlock(data, toBlockSeries(input), { mint: T0, maxt: T0 + 2 * H2 });
    prom = await startPrometheus(data, dir);
    const s = input[2]!;
    const t = s.ts[250]!;
    const r = await prom.query('interop_temp{shard="2"}', t);
    expect(r).toHaveLength(1);
    expect(r[0]!.metric).toEqual(s.labels.toObject());
    expect(Number(r[0]!.value[1])).toBe(s.vs[250]);
    // Every series of the block, through an aggregation over the index.
    const c = await prom.query('count by (zone) ({__name__=~"interop_.+"})', t);
    expect(c.map((x) => [x.metric.zone, x.value[1]]).sort()).toEqual([
      ['eu ☃', '4'],
      ['us "x"', '4'],
    ]);
    const sum = await prom.query('sum_over_time(interop_requests_total{shard="1"}[1d])', T0 + 2 * H2 - 1);
    expect(Number(sum[0]!.value[1])).toBeCloseTo(input[1]!.vs.reduce((a, b) => a + b, 0), 6);
  });

  it('opens a data directory written by the Promethium DB (blocks, compaction, WAL checkpoint)', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const now = Date.now();
    const start = Math.floor(now / H2) * H2 - 4 * H2;
    const db = await openDB(data, { logger: nopLogger, compactionInterval: 0, blocks: fileBlockStore() });
    const labels = [Labels.from({ __name__: 'pm_db', job: 'a' }), Labels.from({ __name__: 'pm_db', job: 'b' })];
    let n = 0;
    let last = 0;
    for (let t = start; t < now - 60_000; t += 15_000) {
      const app = db.appender();
      labels.forEach((l, i) => app.append(0, l, t, (t - start) / 1000 + i));
      await app.commit();
      n++;
      last = t;
    }
    await db.compact();
    const blockCount = (await listBlockDirs(data)).length;
    expect(blockCount).toBeGreaterThan(0);
    await db.close();

    prom = await startPrometheus(data, dir);
    const counts = await prom.query('count_over_time(pm_db[1d])', last);
    expect(counts.map((x) => [x.metric.job, x.value[1]]).sort()).toEqual([
      ['a', String(n)],
      ['b', String(n)],
    ]);
    const latest = await prom.query('pm_db{job="b"}', last);
    expect(Number(latest[0]!.value[1])).toBe((last - start) / 1000 + 1);
  });
});

describe.skipIf(!hasPromtool)('Promethium reads blocks promtool creates from OpenMetrics', () => {
  it('answers identically to promtool dump and to the input', async () => {
    const dir = tmp();
    const input = makeInput();
    const om = writeOpenMetrics(dir, input);
    const out = join(dir, 'blocks');
    await promtool('tsdb', 'create-blocks-from', 'openmetrics', om, out);
    const ulids = readdirSync(out).sort();
    expect(ulids.length).toBe(2); // the input runs 1 min past the first 2h block

    const ours = new Map<string, [number, number][]>();
    const zones = new Set<string>();
    for (const id of ulids) {
      const b = await openBlock(join(out, id));
      for (const s of b.querier(-Infinity, Infinity).select([new Matcher('=~', '__name__', 'interop_.*')])) {
        const it = s.iterator();
        const key = s.labels.toString();
        const list = ours.get(key) ?? [];
        while (it.next()) list.push([it.at(), it.value()]);
        ours.set(key, list);
      }
      for (const z of b.querier(-Infinity, Infinity).labelValues('zone')) zones.add(z);
    }
    expect([...zones].sort()).toEqual(['eu ☃', 'us "x"']);
    for (const s of input) {
      const got = ours.get(s.labels.toString())!;
      expect(got.map(([t]) => t)).toEqual(s.ts);
      expect(got.map(([, v]) => v)).toEqual(s.vs);
    }
    mkdirSync(join(out, 'wal'));
    const dumped = parseDump(await promtool('tsdb', 'dump', out));
    expect(new Map([...dumped].sort())).toEqual(new Map([...ours].sort()));

    // Our compactor merges promtool's blocks into one that promtool still dumps identically.
    const blocks = await Promise.all(ulids.map((id) => openBlock(join(out, id))));
    const merged = compactBlocks(out, blocks);
    expect(merged!.compaction.level).toBe(2);
    expect(merged!.compaction.sources).toEqual(ulids);
    for (const b of blocks) {
      b.close();
      deleteBlockDir(b.dir);
    }
    const list = await promtool('tsdb', 'list', out);
    expect(list).toContain(merged!.ulid);
    const redumped = parseDump(await promtool('tsdb', 'dump', out));
    expect(new Map([...redumped].sort())).toEqual(new Map([...ours].sort()));
  });
});

describe.skipIf(!hasPromtool || !hasPrometheus)('same answers from Promethium and Prometheus on promtool-built blocks', () => {
  let prom: RunningPrometheus | undefined;
  afterEach(async () => {
    await prom?.stop();
    prom = undefined;
  });

  it('selects the same series and label values for every matcher kind', async () => {
    const dir = tmp();
    const input = makeInput();
    const data = join(dir, 'data');
    await promtool('tsdb', 'create-blocks-from', 'openmetrics', writeOpenMetrics(dir, input), data);
    const blocks = await Promise.all(readdirSync(data).map((id) => openBlock(join(data, id))));
    const ours = new MergeQuerier(blocks.map((b) => b.querier(-Infinity, Infinity)));
    prom = await startPrometheus(data, dir);
    const base = prom.base;
    const selectors: [string, Matcher[]][] = [
      ['{__name__="interop_temp"}', [new Matcher('=', '__name__', 'interop_temp')]],
      ['{__name__=~"interop_.*", zone!="eu ☃"}', [new Matcher('=~', '__name__', 'interop_.*'), new Matcher('!=', 'zone', 'eu ☃')]],
      ['{shard=~"[0-3]|7", __name__!~".*total"}', [new Matcher('=~', 'shard', '[0-3]|7'), new Matcher('!~', '__name__', '.*total')]],
      ['{__name__=~".+", missing=""}', [new Matcher('=~', '__name__', '.+'), new Matcher('=', 'missing', '')]],
    ];
    const start = T0 / 1000;
    const end = (T0 + 3 * H2) / 1000;
    for (const [sel, matchers] of selectors) {
      const res = await fetch(`${base}/api/v1/series?match[]=${encodeURIComponent(sel)}&start=${start}&end=${end}`);
      const body = (await res.json()) as { data: Record<string, string>[] };
      const theirs = body.data.map((m) => Labels.from(m).toString()).sort();
      const mine = [...ours.select(matchers)].map((x) => x.labels.toString()).sort();
      expect(mine, sel).toEqual(theirs);
      expect(mine.length, sel).toBeGreaterThan(0);
    }
    for (const name of ['zone', 'shard', '__name__']) {
      const res = await fetch(`${base}/api/v1/label/${name}/values?start=${start}&end=${end}`);
      const body = (await res.json()) as { data: string[] };
      expect(ours.labelValues(name), name).toEqual(body.data);
    }
    const names = (await (await fetch(`${base}/api/v1/labels?start=${start}&end=${end}`)).json()) as { data: string[] };
    expect(ours.labelNames()).toEqual(names.data);
    ours.close();
    for (const b of blocks) b.close();
  });
});
