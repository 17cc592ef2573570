import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, Matcher, nopLogger, openDB } from '@promethium/tsdb-core';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPrometheus } from '../test-support/real-prometheus.js';
import { promtoolOnCopy } from '../test-support/block-fixture.js';
import { pm } from '../test-support/run.js';
import { readHead } from './read-head.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-head-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A data directory whose samples are only in the WAL (and maybe a head snapshot). */
async function walOnlyDir(name: string, headSnapshot: boolean): Promise<string> {
  const dir = join(tmp, name);
  const db = await openDB(dir, { logger: nopLogger, compactionInterval: 0, headSnapshot });
  const app = db.appender();
  const t0 = 1_700_000_000_000;
  for (let i = 0; i < 50; i++) {
    app.append(0, Labels.from({ __name__: 'wal_metric', k: 'a' }), t0 + i * 1000, i);
    app.append(0, Labels.from({ __name__: 'wal_metric', k: 'b"\\' }), t0 + i * 1000, i / 3);
  }
  await app.commit();
  await db.delete(t0 + 10_000, t0 + 19_000, [new Matcher('=', 'k', 'a')]);
  await db.close();
  return dir;
}

describe('reading the head from a data directory', () => {
  it('replays the WAL read-only, with tombstones', async () => {
    const dir = await walOnlyDir('plain', false);
    const h = readHead(dir, -Infinity)!;
    expect(h.damage).toBeUndefined();
    expect(h.head.numSeries).toBe(2);
    const r = await pm(['tsdb', 'dump', dir]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(90);
    expect(lines[0]).toBe('{__name__="wal_metric", k="a"} 0 1700000000000');
    expect(lines).toContain('{__name__="wal_metric", k="b\\"\\\\"} 0.3333333333333333 1700000001000');
    expect(readHead(join(tmp, 'nowhere'), 0)).toBeUndefined();
  });
  it('reads a head snapshot the same', async () => {
    const dir = await walOnlyDir('snap', true);
    expect((await pm(['tsdb', 'dump', dir])).out).toBe((await pm(['tsdb', 'dump', await walOnlyDir('plain2', false)])).out);
  });
  it.skipIf(!hasPrometheus)('dumps what promtool 2.42 dumps from the same WAL', async () => {
    const dir = await walOnlyDir('cmp', false);
    const ours = await pm(['tsdb', 'dump', dir]);
    expect(ours).toEqual(promtoolOnCopy(dir, (p) => ['tsdb', 'dump', p]));
  });
});
