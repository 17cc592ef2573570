import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlockStore, openDB } from './db.js';
import type { Head } from './head/head.js';
import type { ChunkView } from './head/series.js';
import { Labels } from './labels.js';
import { DBLockedError } from './lock.js';
import { nopLogger } from './logger.js';
import { Matcher } from './matcher.js';
import { ChunkSeries } from './querier/chunk-series.js';
import { XORChunk } from './chunkenc/xor.js';
import type { Querier, Series } from './storage.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promethium-db-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function samples(q: Querier, ...ms: Matcher[]): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const s of q.select(ms)) {
    const it = s.iterator();
    const list: number[][] = [];
    while (it.next()) list.push([it.at(), it.value()]);
    out[s.labels.toString()] = list;
  }
  return out;
}

/**
 * A block layer that keeps "blocks" as re-encoded chunks in memory: enough to exercise the
 * DB's persistence cycle (cut, truncate, checkpoint, merged queries) before on-disk blocks exist.
 */
class MemoryBlocks implements BlockStore {
  readonly blocks: { mint: number; maxt: number; series: Map<string, { labels: Labels; chunk: ChunkView }> }[] = [];
  maxTime(): number {
    return this.blocks.length ? this.blocks[this.blocks.length - 1]!.maxt : -Infinity;
  }
  async writeBlock(head: Head, mint: number, maxt: number): Promise<void> {
    const series = new Map<string, { labels: Labels; chunk: ChunkView }>();
    for (const s of head.allSeries()) {
      const c = new XORChunk();
      const it0 = new ChunkSeries(s.labels, s.chunks(mint, maxt - 1), mint, maxt - 1).iterator();
      while (it0.next()) c.append(it0.at(), it0.value());
      if (c.numSamples() === 0) continue;
      const it = c.iterator();
      it.next();
      const first = it.at();
      series.set(s.labels.key(), { labels: s.labels, chunk: { minT: first, maxT: maxt - 1, bytes: c.bytes().slice(), numSamples: c.numSamples() } });
    }
    this.blocks.push({ mint, maxt, series });
  }
  querier(mint: number, maxt: number): Querier | undefined {
    const hit = this.blocks.filter((b) => b.maxt > mint && b.mint <= maxt);
    if (hit.length === 0) return undefined;
    return {
      select(ms) {
        const out: Series[] = [];
        const by = new Map<string, { labels: Labels; chunks: ChunkView[] }>();
        for (const b of hit) {
          for (const { labels, chunk } of b.series.values()) {
            if (!ms.every((m) => m.matches(labels.get(m.name)))) continue;
            const e = by.get(labels.key()) ?? { labels, chunks: [] };
            e.chunks.push(chunk);
            by.set(labels.key(), e);
          }
        }
        for (const e of by.values()) out.push(new ChunkSeries(e.labels, e.chunks, mint, maxt));
        return out.sort((a, b) => Labels.compare(a.labels, b.labels));
      },
      labelNames: () => [],
      labelValues: () => [],
      close() {},
    };
  }
  async close(): Promise<void> {}
}

describe('openDB', () => {
  it('persists commits through close and reopen', async () => {
    const db = await openDB(dir, { logger: nopLogger });
    const app = db.appender();
    for (let t = 0; t < 10; t++) app.append(0, Labels.from({ __name__: 'up', job: 'a' }), t * 1000, t);
    await app.commit();
    await db.close();
    const db2 = await openDB(dir, { logger: nopLogger });
    expect(db2.replayStats.samples).toBe(10);
    expect(samples(db2.querier(0, 5000), new Matcher('=', 'job', 'a'))['{__name__="up", job="a"}']).toEqual(
      [0, 1, 2, 3, 4, 5].map((t) => [t * 1000, t]),
    );
    await db2.close();
  });

  it('refuses a second open of the same directory and takes over a dead owner lock', async () => {
    const db = await openDB(dir, { logger: nopLogger });
    await expect(openDB(dir, { logger: nopLogger })).rejects.toThrow(DBLockedError);
    await expect(openDB(dir, { logger: nopLogger })).rejects.toThrow(/in use by process \d+ \(this process\)/);
    await db.close();
    // A lock left by a process that no longer exists (pid far above pid_max).
    fs.writeFileSync(path.join(dir, 'lock'), '99999999\n');
    const db2 = await openDB(dir, { logger: nopLogger });
    await db2.close();
    expect(fs.existsSync(path.join(dir, 'lock'))).toBe(false);
  });

  it('cuts the head into blocks at 1.5 chunk ranges, checkpoints the WAL and merges queries', async () => {
    const blocks = new MemoryBlocks();
    const range = 60_000;
    const db = await openDB(dir, { logger: nopLogger, chunkRange: range, blocks: async () => blocks, compactionInterval: 0 });
    const lbl = Labels.from({ __name__: 'x' });
    for (let t = 0; t <= 100_000; t += 1000) {
      const app = db.appender();
      app.append(0, lbl, t, t / 1000);
      await app.commit();
    }
    expect(db.headCompactable()).toBe(true);
    await db.compact();
    expect(blocks.blocks.map((b) => [b.mint, b.maxt])).toEqual([[0, 60_000]]);
    expect(db.head.minTime).toBeGreaterThanOrEqual(60_000);
    expect(fs.readdirSync(path.join(dir, 'wal')).some((n) => n.startsWith('checkpoint.'))).toBe(true);
    const all = samples(db.querier(0, 200_000))['{__name__="x"}']!;
    expect(all.length).toBe(101);
    expect(all[59]).toEqual([59_000, 59]);
    expect(all[60]).toEqual([60_000, 60]);
    expect(() => db.appender().append(0, lbl, 30_000, 1)).toThrow('out of bounds');
    await db.close();
    const db2 = await openDB(dir, { logger: nopLogger, chunkRange: range, blocks: async () => blocks, compactionInterval: 0 });
    expect(db2.head.minTime).toBe(60_000);
    expect(samples(db2.querier(0, 200_000))['{__name__="x"}']!.length).toBe(101);
    await db2.close();
  });
});
