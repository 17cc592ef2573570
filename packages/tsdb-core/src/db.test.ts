import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileBlockStore } from './block/store.js';
import { openDB } from './db.js';
import { Labels } from './labels.js';
import { DBLockedError } from './lock.js';
import { nopLogger } from './logger.js';
import { Matcher } from './matcher.js';
import type { Querier } from './storage.js';
import type { ReplayProgress } from './wal/wal.js';

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

describe('openDB', () => {
  it('persists commits through close and reopen', async () => {
    const db = await openDB(dir, { logger: nopLogger });
    const app = db.appender();
    for (let t = 0; t < 10; t++) app.append(0, Labels.from({ __name__: 'up', job: 'a' }), t * 1000, t);
    await app.commit();
    await db.close();
    const db2 = await openDB(dir, { logger: nopLogger, headSnapshot: false });
    // Loaded from the head snapshot written by close(), not by replaying samples.
    expect(db2.replayStats.snapshot).toBeDefined();
    expect(db2.replayStats.samples).toBe(0);
    expect(samples(db2.querier(0, 5000), new Matcher('=', 'job', 'a'))['{__name__="up", job="a"}']).toEqual(
      [0, 1, 2, 3, 4, 5].map((t) => [t * 1000, t]),
    );
    await db2.close();
    // Without a snapshot the WAL has everything.
    for (const f of fs.readdirSync(dir)) if (f.startsWith('head_snapshot.')) fs.rmSync(path.join(dir, f));
    const db3 = await openDB(dir, { logger: nopLogger });
    expect(db3.replayStats.samples).toBe(10);
    await db3.close();
  });

  it('reports WAL replay progress per segment and lets the event loop run between segments', async () => {
    const db = await openDB(dir, { logger: nopLogger, walSegmentSize: 32 * 1024, headSnapshot: false, walCompression: 'snappy' });
    for (let t = 0; t < 80; t++) {
      const app = db.appender();
      for (let i = 0; i < 200; i++) app.append(0, Labels.from({ __name__: 'm', i: String(i) }), t * 15_000, Math.sin(t + i));
      await app.commit();
    }
    await db.close();
    const events: ReplayProgress[] = [];
    const logged: [string, Record<string, unknown>][] = [];
    const logger = { ...nopLogger, info: (msg: string, f?: Record<string, unknown>) => void logged.push([msg, f ?? {}]) };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    let ticksDuringReplay = 0;
    const db2 = await openDB(dir, {
      logger,
      onReplayProgress: (p) => {
        events.push(p);
        if (p.phase === 'done') ticksDuringReplay = ticks;
      },
    });
    clearInterval(ticker);
    const segs = events.filter((e) => e.phase === 'segment');
    expect(segs.length).toBeGreaterThan(3);
    expect(events[0]!.phase).toBe('start');
    expect(events.at(-1)!.phase).toBe('done');
    expect(segs.map((e) => e.segment)).toEqual(segs.map((_, i) => segs[0]!.minSegment + i));
    expect(segs.at(-1)!.segment).toBe(segs[0]!.maxSegment);
    expect(events.at(-1)!.samples).toBe(16000);
    // Timers fired while segments were replayed: open() did not hold the event loop throughout.
    expect(ticksDuringReplay).toBeGreaterThan(0);
    expect(logged.filter(([m]) => m === 'WAL segment loaded').map(([, f]) => f.segment)).toEqual(segs.map((e) => e.segment));
    expect(db2.replayStats.samples).toBe(16000);
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
    const range = 60_000;
    const opts = { logger: nopLogger, chunkRange: range, compactionInterval: 0, blocks: fileBlockStore({ ranges: [] }) };
    const db = await openDB(dir, opts);
    const lbl = Labels.from({ __name__: 'x' });
    for (let t = 0; t <= 100_000; t += 1000) {
      const app = db.appender();
      app.append(0, lbl, t, t / 1000);
      await app.commit();
    }
    expect(db.headCompactable()).toBe(true);
    await db.compact();
    const blockDirs = fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'meta.json')));
    expect(blockDirs.length).toBe(1);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, blockDirs[0]!, 'meta.json'), 'utf8')) as { minTime: number; maxTime: number };
    expect([meta.minTime, meta.maxTime]).toEqual([0, 60_000]);
    expect(db.head.minTime).toBeGreaterThanOrEqual(60_000);
    expect(fs.readdirSync(path.join(dir, 'wal')).some((n) => n.startsWith('checkpoint.'))).toBe(true);
    const all = samples(db.querier(0, 200_000))['{__name__="x"}']!;
    expect(all.length).toBe(101);
    expect(all[59]).toEqual([59_000, 59]);
    expect(all[60]).toEqual([60_000, 60]);
    expect(() => db.appender().append(0, lbl, 30_000, 1)).toThrow('out of bounds');
    await db.close();
    const db2 = await openDB(dir, opts);
    expect(db2.head.minTime).toBe(60_000);
    expect(samples(db2.querier(0, 200_000))['{__name__="x"}']!.length).toBe(101);
    await db2.close();
  });

  it('deletes through head tombstones that survive a restart', async () => {
    const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0 });
    const app = db.appender();
    for (let t = 0; t < 10; t++) {
      app.append(0, Labels.from({ __name__: 'a', x: '1' }), t * 1000, t);
      app.append(0, Labels.from({ __name__: 'a', x: '2' }), t * 1000, t);
    }
    await app.commit();
    expect(await db.delete(2000, 6000, [new Matcher('=', 'x', '1')])).toBe(1);
    const want = [0, 1, 7, 8, 9].map((t) => [t * 1000, t]);
    expect(samples(db.querier(0, 10_000))['{__name__="a", x="1"}']).toEqual(want);
    expect(samples(db.querier(0, 10_000))['{__name__="a", x="2"}']!.length).toBe(10);
    const it = [...db.querier(0, 10_000).select([new Matcher('=', 'x', '1')])][0]!.iterator();
    expect(it.seek(3000) && it.at()).toBe(7000);
    await db.close();
    const db2 = await openDB(dir, { logger: nopLogger, compactionInterval: 0 });
    expect(samples(db2.querier(0, 10_000))['{__name__="a", x="1"}']).toEqual(want);
    const snap = fs.mkdtempSync(path.join(os.tmpdir(), 'promethium-snap-'));
    try {
      const ids = await db2.snapshot(snap);
      expect(ids.length).toBe(1);
      expect(fs.existsSync(path.join(snap, ids[0]!, 'index'))).toBe(true);
    } finally {
      fs.rmSync(snap, { recursive: true, force: true });
    }
    await db2.close();
  });

  it('logs metric metadata and restores it on replay', async () => {
    const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0 });
    const l = Labels.from({ __name__: 'http_requests_total', code: '200' });
    const app = db.appender();
    const ref = app.append(0, l, 1000, 1);
    await app.commit();
    const meta = { labels: l, type: 'counter' as const, unit: '', help: 'Requests served.' };
    expect(await db.updateMetadata([meta, { ...meta, labels: Labels.from({ __name__: 'unknown' }) }])).toBe(1);
    expect(await db.updateMetadata([meta])).toBe(0);
    await db.close();
    const db2 = await openDB(dir, { logger: nopLogger, compactionInterval: 0 });
    expect(db2.head.metadata.get(ref)).toEqual({ type: 'counter', unit: '', help: 'Requests served.' });
    await db2.close();
  });
});
