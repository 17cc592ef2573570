// The DB (head + WAL) persisting into real blocks through FileBlockStore: head ranges become
// blocks, blocks compact, queries merge head and blocks, and the result is a data directory
// a real promtool reads.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDB } from '../db.js';
import { Labels } from '../labels.js';
import { nopLogger } from '../logger.js';
import { Matcher } from '../matcher.js';
import type { Querier } from '../storage.js';
import { MergeQuerier } from '../querier/merge.js';
import { openBlock } from './block.js';
import { listBlockDirs } from './list.js';
import { fileBlockStore } from './store.js';
import type { FileBlockStore } from './store.js';
import { hasPromtool, parseDump, promtool, tempDir } from '../test-support/blocks.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const H = 3600_000;
const STEP = 60_000;

function read(q: Querier): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const s of q.select([new Matcher('=~', '__name__', '.+')])) {
    const it = s.iterator();
    const list: [number, number][] = [];
    while (it.next()) list.push([it.at(), it.value()]);
    out.set(s.labels.toString(), list);
  }
  return out;
}

describe('DB with FileBlockStore', () => {
  it('persists head ranges as blocks, compacts them and keeps every sample queryable', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'data');
    const opts = { logger: nopLogger, compactionInterval: 0, blocks: fileBlockStore() };
    const db = await openDB(dir, opts);
    const series = [0, 1, 2].map((i) => Labels.from({ __name__: 'db_metric', i: String(i) }));
    const want = new Map<string, [number, number][]>(series.map((l) => [l.toString(), []]));
    // 11 hours of data, one sample per minute per series.
    const end = 11 * H;
    let early: Querier | undefined;
    for (let ts = 0; ts < end; ts += STEP) {
      const app = db.appender();
      series.forEach((l, i) => {
        const v = Math.round((ts / STEP) * (i + 1) * 0.37 * 100) / 100;
        app.append(0, l, ts, v);
        want.get(l.toString())!.push([ts, v]);
      });
      await app.commit();
      if (ts % H === 0) await db.compact();
      // A querier over the first two 2h blocks, taken before compaction (at 10h) replaces them.
      if (ts === 7 * H) early = db.querier(0, 4 * H - 1);
    }
    const earlySeries = [...early!.select([new Matcher('=', 'i', '1')])];
    await db.compact();
    expect((await listBlockDirs(dir)).some((b) => b.meta.maxTime === 2 * H)).toBe(false);
    // Its blocks were compacted away and their directories deleted; the querier still reads them.
    const it = earlySeries[0]!.iterator();
    let n = 0;
    while (it.next()) n++;
    expect(n).toBe((4 * H) / STEP);
    early!.close();
    const blocks = await listBlockDirs(dir);
    // 0-6h compacted into one level-2 block; 6-8h still level 1 (the newest is left alone).
    expect(blocks.map((b) => [b.meta.minTime / H, b.meta.maxTime / H, b.meta.compaction.level])).toEqual([
      [0, 6, 2],
      [6, 8, 1],
    ]);
    expect(db.head.minTime).toBeGreaterThanOrEqual(8 * H);
    expect(read(db.querier(0, end))).toEqual(want);
    // A window across the block/head boundary.
    const mid = read(db.querier(7 * H, 8 * H + 30 * STEP)).get(series[1]!.toString())!;
    expect(mid).toEqual(want.get(series[1]!.toString())!.filter(([ts]) => ts >= 7 * H && ts <= 8 * H + 30 * STEP));
    expect(db.querier(0, end).labelValues('i')).toEqual(['0', '1', '2']);

    // Deletion through tombstones, then cleaning.
    const store = db.blocks as FileBlockStore;
    expect(await store.delete(H, 2 * H, [new Matcher('=', 'i', '0')])).toBe(1);
    const afterDelete = read(db.querier(0, end)).get(series[0]!.toString())!;
    expect(afterDelete.some(([ts]) => ts >= H && ts <= 2 * H)).toBe(false);
    await store.cleanTombstones();
    expect(read(db.querier(0, end)).get(series[0]!.toString())).toEqual(afterDelete);

    // Snapshot with the head: blocks hard-linked plus the head written as a block.
    const snap = join(t.dir, 'snap');
    const ids = await store.snapshot(snap, db.head);
    expect(ids).toHaveLength(3);
    const snapBlocks = await Promise.all((await listBlockDirs(snap)).map((b) => openBlock(b.dir)));
    const merged = new MergeQuerier(snapBlocks.map((b) => b.querier(0, end)));
    expect(read(merged).get(series[1]!.toString())).toEqual(want.get(series[1]!.toString()));
    await db.close();

    // Reopen: blocks from disk, the rest from the WAL.
    const db2 = await openDB(dir, opts);
    expect(read(db2.querier(0, end)).get(series[2]!.toString())).toEqual(want.get(series[2]!.toString()));
    await db2.close();

    if (hasPromtool) {
      // The data directory is a Prometheus data directory: promtool dumps the blocks' samples.
      mkdirSync(join(dir, 'wal'), { recursive: true });
      const dumped = parseDump(await promtool('tsdb', 'dump', '--min-time=0', `--max-time=${8 * H - 1}`, dir));
      expect(dumped.get(series[2]!.toString())).toEqual(want.get(series[2]!.toString())!.filter(([ts]) => ts < 8 * H));
      expect(readdirSync(dir)).toContain('wal');
    }
  });

  it('applies retention after writing blocks', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'data');
    const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0, blocks: fileBlockStore({ ranges: [2 * H], retention: { retentionMs: 4 * H } }) });
    const l = Labels.from({ __name__: 'r' });
    for (let ts = 0; ts < 13 * H; ts += 5 * STEP) {
      const app = db.appender();
      app.append(0, l, ts, ts);
      await app.commit();
    }
    await db.compact();
    const blocks = await listBlockDirs(dir);
    // Blocks up to 10h exist at most; newest ends at 10h, so blocks ending before 6h are gone.
    expect(blocks.map((b) => b.meta.maxTime / H)).toEqual([6, 8, 10]);
    const got = read(db.querier(0, 13 * H)).get('{__name__="r"}')!;
    expect(got[0]![0]).toBe(4 * H);
    await db.close();
  });

  it('derives compaction ranges from the head block duration', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'data');
    const range = 60_000;
    const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0, chunkRange: range, blocks: fileBlockStore() });
    const l = Labels.from({ __name__: 'short' });
    for (let ts = 0; ts < 12 * range; ts += 1000) {
      const app = db.appender();
      app.append(0, l, ts, ts);
      await app.commit();
      if (ts % range === 0) await db.compact();
    }
    await db.compact();
    const spans = (await listBlockDirs(dir)).map((b) => (b.meta.maxTime - b.meta.minTime) / range);
    // Eleven 1-minute blocks: 0-9 compacted through 3-minute into one 9-minute block; 9-10 waits
    // for its 3-minute window to fill, 10-11 is the newest and left alone.
    expect(spans).toEqual([9, 1, 1]);
    expect(read(db.querier(0, 12 * range)).get('{__name__="short"}')).toHaveLength(12 * 60);
    await db.close();
  });
});
