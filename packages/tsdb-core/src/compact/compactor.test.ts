import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Labels } from '../labels.js';
import { Matcher } from '../matcher.js';
import { openBlock } from '../block/block.js';
import { listBlockDirs } from '../block/list.js';
import type { BlockSeries } from '../block/series-chunks.js';
import { chunksFromSamples } from '../block/series-chunks.js';
import { tempDir } from '../test-support/blocks.js';
import { writeBlock } from '../block/writer.js';
import { cleanTombstones, deleteSeries } from './clean.js';
import { compactDir } from './compactor.js';
import { exponentialBlockRanges } from './planner.js';

const H = 3600_000;
const STEP = 30_000;
const ranges = exponentialBlockRanges(2 * H, 3, 3);

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Series `name{i}` with a sample every STEP in [from, to). */
function seriesIn(from: number, to: number, names: string[], step = STEP, offset = 0): BlockSeries[] {
  return names.map((n) => {
    const ts: number[] = [];
    for (let t = from + offset; t < to; t += step) ts.push(t);
    return { labels: Labels.from({ __name__: 'm', s: n }), chunks: chunksFromSamples(ts, ts.map((t) => t / 1000)) };
  });
}

async function readAll(dataDir: string): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const { dir } of await listBlockDirs(dataDir)) {
    const b = await openBlock(dir);
    for (const s of b.querier(-Infinity, Infinity).select([new Matcher('=', '__name__', 'm')])) {
      const it = s.iterator();
      const list = out.get(s.labels.toString()) ?? [];
      while (it.next()) {
        expect(it.value()).toBe(it.at() / 1000);
        list.push(it.at());
      }
      out.set(s.labels.toString(), list);
    }
  }
  return out;
}

function setup(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return t.dir;
}

describe('compaction', () => {
  it('merges 2h blocks into a 6h block with level, sources and parents', async () => {
    const dir = setup();
    const metas = [0, 2, 4, 6].map((h) =>
      writeBlock(dir, seriesIn(h * H, (h + 2) * H, h === 2 ? ['a', 'b', 'c'] : ['a', 'b']), { mint: h * H, maxt: (h + 2) * H }),
    );
    const before = await readAll(dir);
    const written = await compactDir(dir, { ranges });
    expect(written).toHaveLength(1);
    const m = written[0]!;
    expect([m.minTime, m.maxTime]).toEqual([0, 6 * H]);
    expect(m.compaction.level).toBe(2);
    expect(m.compaction.sources).toEqual(metas.slice(0, 3).map((x) => x.ulid).sort());
    expect(m.compaction.parents!.map((p) => p.ulid)).toEqual(metas.slice(0, 3).map((x) => x.ulid));
    expect(m.stats.numSeries).toBe(3);
    expect(m.stats.numSamples).toBe(3 * 240 * 2 + 240);
    expect(readdirSync(dir).sort()).toEqual([m.ulid, metas[3]!.ulid].sort());
    expect(await readAll(dir)).toEqual(before);
  });

  it('merges overlapping blocks (vertical compaction), dropping duplicate timestamps', async () => {
    const dir = setup();
    writeBlock(dir, seriesIn(0, 2 * H, ['a']), { mint: 0, maxt: 2 * H });
    writeBlock(dir, seriesIn(H, 3 * H, ['a'], STEP, STEP / 2), { mint: H, maxt: 3 * H });
    writeBlock(dir, seriesIn(H, 2 * H, ['a']), { mint: H, maxt: 2 * H }); // exact duplicates
    const written = await compactDir(dir, { ranges });
    expect(written).toHaveLength(1);
    expect([written[0]!.minTime, written[0]!.maxTime]).toEqual([0, 3 * H]);
    const ts = (await readAll(dir)).get('{__name__="m", s="a"}')!;
    const want: number[] = [];
    for (let t = 0; t < 2 * H; t += STEP) want.push(t);
    for (let t = H + STEP / 2; t < 3 * H; t += STEP) want.push(t);
    want.sort((x, y) => x - y);
    expect(ts).toEqual(want);
  });

  it('applies tombstones when compacting and when cleaning', async () => {
    const dir = setup();
    for (const h of [0, 2, 4, 6]) writeBlock(dir, seriesIn(h * H, (h + 2) * H, ['a', 'b']), { mint: h * H, maxt: (h + 2) * H });
    expect(await deleteSeries(dir, H, 3 * H, [new Matcher('=', 's', 'a')])).toBe(2);
    expect(await deleteSeries(dir, 0, 100 * H, [new Matcher('=', 's', 'b')])).toBe(4);
    await compactDir(dir, { ranges });
    const after = await readAll(dir);
    expect(after.has('{__name__="m", s="b"}')).toBe(false);
    const a = after.get('{__name__="m", s="a"}')!;
    expect(a.some((t) => t >= H && t <= 3 * H)).toBe(false);
    expect(a).toHaveLength(4 * 240 - 2 * 120 - 1);

    // The newest block (6h-8h) still has tombstones for b: cleaning rewrites it.
    const blocks = await listBlockDirs(dir);
    const newest = blocks[blocks.length - 1]!;
    expect(newest.meta.stats.numTombstones).toBe(1);
    const cleaned = await cleanTombstones(dir);
    expect(cleaned).toHaveLength(1);
    expect(cleaned[0]!.compaction.level).toBe(1);
    expect(cleaned[0]!.compaction.parents![0]!.ulid).toBe(newest.meta.ulid);
    expect(cleaned[0]!.stats.numSeries).toBe(1);
    expect((await listBlockDirs(dir)).map((b) => b.meta.ulid)).not.toContain(newest.meta.ulid);
    expect(await readAll(dir)).toEqual(after);
  });

  it('marks blocks it cannot compact as failed, so the planner moves on', async () => {
    const dir = setup();
    // A histogram chunk (encoding 2) with a tombstone over it cannot be rewritten here.
    const hist = { mint: 10, maxt: 20, encoding: 2, data: Uint8Array.of(0, 2, 0, 0) };
    const bad = writeBlock(dir, [{ labels: Labels.from({ __name__: 'm', s: 'h' }), chunks: [hist] }], { mint: 0, maxt: 2 * H });
    for (const h of [2, 4, 6]) writeBlock(dir, seriesIn(h * H, (h + 2) * H, ['a']), { mint: h * H, maxt: (h + 2) * H });
    await deleteSeries(dir, 0, 15, [new Matcher('=', 's', 'h')]);
    await expect(compactDir(dir, { ranges })).rejects.toThrow(/marked compaction\.failed.*cannot merge chunk encoding 2/);
    const metas = await listBlockDirs(dir);
    expect(metas.filter((b) => b.meta.compaction.failed).map((b) => b.meta.minTime / H)).toEqual([0, 2, 4]);
    expect(metas.find((b) => b.meta.ulid === bad.ulid)).toBeDefined();
    expect(await compactDir(dir, { ranges })).toEqual([]);
  });
});
