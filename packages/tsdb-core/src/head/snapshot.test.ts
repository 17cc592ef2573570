import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDB } from '../db.js';
import { Labels } from '../labels.js';
import { nopLogger } from '../logger.js';
import { Matcher } from '../matcher.js';
import { STALE_NAN, isStaleNaN, type Querier } from '../storage.js';
import { Head } from './head.js';
import { SnapshotError, listHeadSnapshots, readHeadSnapshot, readHeadSnapshotSteps, writeHeadSnapshot } from './snapshot.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promethium-snapshot-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function dump(q: Querier): string[] {
  const out: string[] = [];
  for (const s of q.select([new Matcher('=~', '__name__', '.+')])) {
    const it = s.iterator();
    while (it.next()) out.push(`${s.labels.toString()} ${it.at()} ${isStaleNaN(it.value()) ? 'stale' : it.value()}`);
  }
  return out;
}

describe('head snapshot', () => {
  it('loads in steps that resume exactly where the previous one stopped', async () => {
    const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0, blocks: false });
    for (let t = 0; t < 30; t++) {
      const app = db.appender();
      for (let i = 0; i < 10; i++) app.append(0, Labels.from({ __name__: 'm', i: String(i) }), t * 1000, i + t / 4);
      await app.commit();
    }
    const before = dump(db.querier(-Infinity, Infinity));
    await db.close();
    const file = listHeadSnapshots(dir)[0]!.file;
    const head = new Head();
    const steps = readHeadSnapshotSteps(file, head, 3);
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    expect(r.value).toEqual({ series: 10 });
    // 10 series in steps of 3: a yield after 3, 6 and 9.
    expect(yields).toBe(3);
    expect(dump(head.querier(-Infinity, Infinity))).toEqual(before);
  });

  it('restores series, chunks, tombstones and metadata, and appends continue after it', async () => {
    const opts = { logger: nopLogger, compactionInterval: 0, blocks: false as const };
    const db = await openDB(dir, opts);
    for (let t = 0; t < 300; t++) {
      const app = db.appender();
      for (let i = 0; i < 5; i++) app.append(0, Labels.from({ __name__: 'm', i: String(i) }), t * 1000, t === 299 ? STALE_NAN : i * t);
      await app.commit();
    }
    await db.delete(10_000, 20_000, [new Matcher('=', 'i', '1')]);
    await db.updateMetadata([{ labels: Labels.from({ __name__: 'm', i: '2' }), type: 'gauge', unit: 'bytes', help: 'h' }]);
    const before = dump(db.querier(-Infinity, Infinity));
    await db.close();
    expect(listHeadSnapshots(dir).length).toBe(1);

    const db2 = await openDB(dir, opts);
    expect(db2.replayStats.snapshot).toBeDefined();
    expect(dump(db2.querier(-Infinity, Infinity))).toEqual(before);
    expect([...db2.head.metadata.values()]).toEqual([{ type: 'gauge', unit: 'bytes', help: 'h' }]);
    const app = db2.appender();
    for (let i = 0; i < 5; i++) app.append(0, Labels.from({ __name__: 'm', i: String(i) }), 300_000, 7);
    await app.commit();
    const after = dump(db2.querier(-Infinity, Infinity));
    expect(after.length).toBe(before.length + 5);
    await db2.close();

    // The newest snapshot plus the WAL after it, and the WAL alone, agree.
    const db3 = await openDB(dir, { ...opts, headSnapshot: false });
    expect(dump(db3.querier(-Infinity, Infinity))).toEqual(after);
    await db3.close();
    for (const s of listHeadSnapshots(dir)) fs.rmSync(s.file);
    const db4 = await openDB(dir, opts);
    expect(db4.replayStats.snapshot).toBeUndefined();
    expect(dump(db4.querier(-Infinity, Infinity))).toEqual(after);
    await db4.close();
  });

  it('rejects a damaged snapshot without touching the head, and the DB falls back to the WAL', async () => {
    const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0, blocks: false });
    const app = db.appender();
    for (let t = 0; t < 50; t++) app.append(0, Labels.from({ __name__: 'x' }), t, t);
    await app.commit();
    await db.close();
    const [snap] = listHeadSnapshots(dir);
    const buf = fs.readFileSync(snap!.file);
    buf[Math.floor(buf.length / 2)]! ^= 0x10;
    fs.writeFileSync(snap!.file, buf);
    const head = new Head();
    expect(() => readHeadSnapshot(snap!.file, head)).toThrow(SnapshotError);
    expect(head.numSeries).toBe(0);
    const warnings: string[] = [];
    const db2 = await openDB(dir, { logger: { ...nopLogger, warn: (m) => warnings.push(m) }, compactionInterval: 0, blocks: false });
    expect(warnings).toContain('head snapshot unusable, replaying the WAL instead');
    expect(db2.replayStats.samples).toBe(50);
    expect(dump(db2.querier(0, 100)).length).toBe(50);
    await db2.close();
  });

  it('writes atomically and keeps only the newest', () => {
    const head = new Head();
    writeHeadSnapshot(dir, head, 3);
    writeHeadSnapshot(dir, head, 5);
    expect(listHeadSnapshots(dir).map((s) => s.segment)).toEqual([5]);
    expect(fs.readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(false);
  });
});
