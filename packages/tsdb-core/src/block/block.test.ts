import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Labels } from '../labels.js';
import { Matcher } from '../matcher.js';
import type { Querier } from '../storage.js';
import { openBlock } from './block.js';
import { readMeta } from './meta.js';
import type { BlockSeries } from './series-chunks.js';
import { chunksFromSamples } from './series-chunks.js';
import { tempDir } from '../test-support/blocks.js';
import { writeBlock, writeBlockAsync } from './writer.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const T0 = 1_700_000_000_000;
const STEP = 15_000;
const H = 3600_000;

function makeSeries(n: number, samples: number): BlockSeries[] {
  const out: BlockSeries[] = [];
  for (let i = 0; i < n; i++) {
    const ts = Array.from({ length: samples }, (_, j) => T0 + j * STEP);
    const vs = ts.map((_, j) => i * 1000 + j * 0.5);
    out.push({
      labels: Labels.from({ __name__: i % 2 ? 'http_requests_total' : 'up', job: `job${i % 3}`, instance: `host-${i}` }),
      chunks: chunksFromSamples(ts, vs),
    });
  }
  return out;
}

function collect(q: Querier, ...m: Matcher[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of q.select(m)) {
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.at(), it.value()]);
    out[s.labels.toString()] = samples;
  }
  return out;
}

describe('writeBlock / openBlock', () => {
  it('writes a complete block and queries it back by matchers', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const input = makeSeries(12, 300);
    const meta = writeBlock(t.dir, input, { mint: T0, maxt: T0 + 2 * 3600_000 });
    expect(readdirSync(t.dir)).toEqual([meta.ulid]);
    const dir = join(t.dir, meta.ulid);
    for (const f of ['meta.json', 'index', 'tombstones', 'chunks/000001']) expect(existsSync(join(dir, f))).toBe(true);
    expect(meta.stats).toEqual({ numSamples: 3600, numSeries: 12, numChunks: 36 });
    expect((await readMeta(dir)).compaction).toEqual({ level: 1, sources: [meta.ulid] });

    const b = await openBlock(dir);
    const q = b.querier(T0, T0 + 2 * 3600_000);
    const up = collect(q, new Matcher('=', '__name__', 'up'));
    expect(Object.keys(up)).toHaveLength(6);
    const host0 = up['{__name__="up", instance="host-0", job="job0"}']!;
    expect(host0).toHaveLength(300);
    expect(host0[299]).toEqual([T0 + 299 * STEP, 149.5]);

    expect(Object.keys(collect(q, new Matcher('=~', 'instance', 'host-1.*'), new Matcher('!=', 'job', 'job1')))).toEqual([
      '{__name__="http_requests_total", instance="host-11", job="job2"}',
    ]);
    // A matcher accepting "" also matches series without the label.
    expect(Object.keys(collect(q, new Matcher('=', 'missing', ''), new Matcher('=', 'instance', 'host-3')))).toHaveLength(1);
    expect(Object.keys(collect(q, new Matcher('!~', 'job', 'job[01]')))).toHaveLength(4);
    expect(Object.keys(collect(q, new Matcher('=', 'job', 'nope')))).toHaveLength(0);

    expect(q.labelNames()).toEqual(['__name__', 'instance', 'job']);
    expect(q.labelValues('job')).toEqual(['job0', 'job1', 'job2']);
    expect(q.labelValues('instance', [new Matcher('=', 'job', 'job0')])).toEqual(['host-0', 'host-3', 'host-6', 'host-9']);
    expect(q.labelNames([new Matcher('=', 'job', 'nope')])).toEqual([]);
  });

  it('restricts samples to the query range and seeks across chunks', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const meta = writeBlock(t.dir, makeSeries(1, 400), { mint: T0, maxt: T0 + 400 * STEP });
    const b = await openBlock(join(t.dir, meta.ulid));
    const q = b.querier(T0 + 100 * STEP, T0 + 250 * STEP);
    const s = [...q.select([new Matcher('=', '__name__', 'up')])];
    expect(s).toHaveLength(1);
    const all = collect(q, new Matcher('=', '__name__', 'up'));
    const samples = Object.values(all)[0]!;
    expect(samples).toHaveLength(151);
    expect(samples[0]![0]).toBe(T0 + 100 * STEP);
    const it = s[0]!.iterator();
    expect(it.seek(T0 + 200 * STEP + 1)).toBe(true);
    expect(it.at()).toBe(T0 + 201 * STEP);
    expect(it.seek(T0)).toBe(true); // never moves backwards
    expect(it.at()).toBe(T0 + 201 * STEP);
    expect(it.seek(T0 + 251 * STEP)).toBe(false);
    // Nothing in range: no series.
    expect([...b.querier(T0 + 500 * STEP, T0 + 600 * STEP).select([new Matcher('=', '__name__', 'up')])]).toHaveLength(0);
  });

  it('deletes by matchers and time range through tombstones', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const meta = writeBlock(t.dir, makeSeries(4, 200), { mint: T0, maxt: T0 + 200 * STEP });
    const dir = join(t.dir, meta.ulid);
    const b = await openBlock(dir);
    expect(await b.delete(T0 + 10 * STEP, T0 + 19 * STEP, [new Matcher('=', 'instance', 'host-1')])).toBe(1);
    expect(await b.delete(-(2 ** 63), 2 ** 63, [new Matcher('=', 'instance', 'host-2')])).toBe(1);
    const reopened = await openBlock(dir);
    expect(reopened.meta.stats.numTombstones).toBe(2);
    const got = collect(reopened.querier(T0, T0 + 200 * STEP), new Matcher('=~', 'instance', '.+'));
    expect(Object.keys(got)).toHaveLength(3);
    const h1 = got['{__name__="http_requests_total", instance="host-1", job="job1"}']!;
    expect(h1).toHaveLength(190);
    expect(h1.some(([ts]) => ts >= T0 + 10 * STEP && ts <= T0 + 19 * STEP)).toBe(false);
  });

  it('refuses chunks outside the block range and leaves no partial block', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    expect(() => writeBlock(t.dir, makeSeries(2, 10), { mint: T0 + 1, maxt: T0 + 1000 })).toThrow(/outside block range/);
    expect(readdirSync(t.dir)).toEqual([]);
  });
});

describe('block lifetime', () => {
  it('keeps a deleted block readable until its last querier closes', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const meta = writeBlock(t.dir, makeSeries(2, 200), { mint: T0, maxt: T0 + 200 * STEP });
    const dir = join(t.dir, meta.ulid);
    const b = await openBlock(dir);
    const q = b.querier(T0, T0 + 200 * STEP);
    b.close(); // e.g. compaction replaced it
    const { rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true });
    expect(Object.values(collect(q, new Matcher('=', 'instance', 'host-1')))[0]).toHaveLength(200);
    q.close();
    expect(() => b.querier(T0, T0 + 1)).toThrow(/is closed/);
  });
});

describe('foreign chunk encodings', () => {
  it('skips native histogram chunks and still returns the float chunks of the series', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const floats = chunksFromSamples([T0, T0 + STEP], [1, 2]);
    const histogram = { mint: T0 + 2 * STEP, maxt: T0 + 3 * STEP, encoding: 2, data: Uint8Array.of(0, 2, 0xc0, 0, 0) };
    const meta = writeBlock(t.dir, [{ labels: Labels.from({ __name__: 'h' }), chunks: [...floats, histogram] }], { mint: T0, maxt: T0 + H });
    expect(meta.stats.numSamples).toBe(4);
    const b = await openBlock(join(t.dir, meta.ulid));
    expect(collect(b.querier(T0, T0 + H), new Matcher('=', '__name__', 'h'))).toEqual({ '{__name__="h"}': [[T0, 1], [T0 + STEP, 2]] });
  });
});

describe('writeBlockAsync', () => {
  it('writes the same block as writeBlock while letting the event loop run', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const input = makeSeries(20_000, 10);
    const sync = writeBlock(t.dir, input, { mint: T0, maxt: T0 + H });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const async = await writeBlockAsync(t.dir, input, { mint: T0, maxt: T0 + H });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(async.stats).toEqual(sync.stats);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(t.dir, async.ulid, 'index')).equals(readFileSync(join(t.dir, sync.ulid, 'index')))).toBe(true);
    expect(readFileSync(join(t.dir, async.ulid, 'chunks', '000001')).equals(readFileSync(join(t.dir, sync.ulid, 'chunks', '000001')))).toBe(true);
  });
});
