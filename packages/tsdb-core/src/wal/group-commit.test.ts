import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB } from '../db.js';
import { Labels } from '../labels.js';
import { nopLogger } from '../logger.js';
import { readSegment } from './reader.js';
import { segmentName } from './segments.js';
import { WALWriter } from './writer.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-group-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function records(file: string): number[][] {
  const out: number[][] = [];
  readSegment(fs.readFileSync(file), (r) => out.push([...r]));
  return out;
}

describe('WAL group commit (syncDelayMs)', () => {
  it('does not acknowledge before the window ends and an fdatasync that began after the write', async () => {
    const w = new WALWriter(dir, 0, { syncDelayMs: 40 });
    w.log(Uint8Array.of(1, 2, 3));
    let done = false;
    const started = performance.now();
    const p = w.sync().then(() => {
      done = true;
    });
    // Nothing is fsynced yet, so nothing may be acknowledged.
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    expect(w.syncCount).toBe(0);
    await p;
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(w.syncCount).toBe(1);
    await w.close();
    expect(records(segmentName(dir, 0))).toEqual([[1, 2, 3]]);
  });

  it('lets commits within the window share one fdatasync', async () => {
    const w = new WALWriter(dir, 0, { syncDelayMs: 30 });
    const acks: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      w.log(Uint8Array.of(i));
      acks.push(w.sync());
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(acks);
    expect(w.syncCount).toBe(1);
    // A commit after the group gets its own sync.
    w.log(Uint8Array.of(9));
    await w.sync();
    expect(w.syncCount).toBe(2);
    await w.close();
    expect(records(segmentName(dir, 0))).toEqual([[0], [1], [2], [3], [4], [9]]);
  });

  it('without a window every sync() fsyncs at once (concurrent callers still share)', async () => {
    const w = new WALWriter(dir, 0);
    w.log(Uint8Array.of(1));
    await w.sync();
    w.log(Uint8Array.of(2));
    await w.sync();
    expect(w.syncCount).toBe(2);
    await w.close();
  });

  it('an urgent sync starts at once and takes the waiting group along', async () => {
    // A one-minute window: waiting it out would time the test out.
    const w = new WALWriter(dir, 0, { syncDelayMs: 60_000 });
    w.log(Uint8Array.of(1));
    let groupDone = false;
    const group = w.sync().then(() => {
      groupDone = true;
    });
    w.log(Uint8Array.of(2));
    await w.sync(true);
    await group;
    expect(groupDone).toBe(true);
    expect(w.syncCount).toBe(1);
    // With no group waiting, an urgent sync is a plain one.
    w.log(Uint8Array.of(3));
    await w.sync(true);
    expect(w.syncCount).toBe(2);
    await w.close();
    expect(records(segmentName(dir, 0))).toEqual([[1], [2], [3]]);
  });

  it('close() syncs a waiting group at once instead of waiting out the window', async () => {
    const w = new WALWriter(dir, 0, { syncDelayMs: 10_000 });
    w.log(Uint8Array.of(7));
    const ack = w.sync();
    const started = performance.now();
    await w.close();
    await ack;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(w.syncCount).toBeGreaterThanOrEqual(1);
    expect(records(segmentName(dir, 0))).toEqual([[7]]);
  });

  it('rejects a negative or non-finite window', () => {
    expect(() => new WALWriter(dir, 0, { syncDelayMs: -1 })).toThrow(/sync delay -1/);
    expect(() => new WALWriter(path.join(dir, 'b'), 0, { syncDelayMs: Number.NaN })).toThrow(/sync delay NaN/);
  });

  it('DB commits from concurrent appenders share fsyncs and all survive a reopen', async () => {
    const db = await DB.open(dir, { logger: nopLogger, walSyncDelayMs: 50, blocks: false, headSnapshot: false });
    const before = db.wal.syncCount;
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const app = db.appender();
      app.append(0, Labels.from({ __name__: 'g', i: String(i) }), 1000, i);
      commits.push(app.commit());
    }
    await Promise.all(commits);
    expect(db.wal.syncCount - before).toBe(1);
    await db.close();
    const again = await DB.open(dir, { logger: nopLogger, blocks: false, headSnapshot: false });
    expect(again.head.numSeries).toBe(20);
    await again.close();
  });

  it('an urgent DB commit (a remote-write request) does not wait for the window', async () => {
    const db = await DB.open(dir, { logger: nopLogger, walSyncDelayMs: 60_000, blocks: false, headSnapshot: false });
    const background = db.appender();
    background.append(0, Labels.from({ __name__: 'scraped' }), 1000, 1);
    const grouped = background.commit();
    const app = db.appender();
    app.append(0, Labels.from({ __name__: 'received' }), 1000, 2);
    await app.commit({ urgent: true });
    await grouped;
    await db.close();
    const again = await DB.open(dir, { logger: nopLogger, blocks: false, headSnapshot: false });
    expect(again.head.numSeries).toBe(2);
    await again.close();
  });
});
