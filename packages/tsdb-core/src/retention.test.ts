import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Labels } from './labels.js';
import { dirSize } from './block/block.js';
import { chunksFromSamples } from './block/series-chunks.js';
import { snapshotBlocks } from './block/snapshot.js';
import { tempDir } from './test-support/blocks.js';
import { writeBlock } from './block/writer.js';
import { applyRetention } from './retention.js';
import { deleteSeries } from './compact/clean.js';
import { Matcher } from './matcher.js';

const H = 3600_000;
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function fill(dir: string, hours: number[]): string[] {
  return hours.map((h) => {
    const ts = Array.from({ length: 240 }, (_, i) => h * H + i * 30_000);
    return writeBlock(dir, [{ labels: Labels.from({ __name__: 'x' }), chunks: chunksFromSamples(ts, ts) }], { mint: h * H, maxt: (h + 2) * H }).ulid;
  });
}

describe('retention', () => {
  it('deletes whole blocks beyond the time retention, oldest first', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ids = fill(t.dir, [0, 2, 4, 6, 8]);
    // Newest maxTime is 10h; blocks ending more than 5h before it go (ends at 2h and 4h).
    expect(await applyRetention(t.dir, { retentionMs: 5 * H })).toEqual([ids[1], ids[0]]);
    expect(readdirSync(t.dir).sort()).toEqual(ids.slice(2).sort());
    expect(await applyRetention(t.dir, { retentionMs: 5 * H })).toEqual([]);
  });

  it('deletes the oldest blocks once the size limit is exceeded', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ids = fill(t.dir, [0, 2, 4, 6]);
    const one = dirSize(join(t.dir, ids[0]!));
    expect(await applyRetention(t.dir, { maxBytes: 2 * one + one / 2 })).toEqual([ids[1], ids[0]]);
    expect(await applyRetention(t.dir, { maxBytes: 2 * one + one / 2, headBytes: one })).toEqual([ids[2]]);
    expect(readdirSync(t.dir)).toEqual([ids[3]]);
  });
});

describe('snapshots', () => {
  it('hard-links blocks, unaffected by later tombstones', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const data = join(t.dir, 'data');
    const ids = fill(data, [0, 2]);
    const snap = join(t.dir, 'snap');
    expect((await snapshotBlocks(data, snap)).sort()).toEqual([...ids].sort());
    const before = readFileSync(join(snap, ids[0]!, 'tombstones'));
    await deleteSeries(data, 0, H, [new Matcher('=', '__name__', 'x')]);
    expect(readFileSync(join(snap, ids[0]!, 'tombstones'))).toEqual(before);
    expect(readFileSync(join(data, ids[0]!, 'tombstones')).length).toBeGreaterThan(before.length);
    expect(readFileSync(join(snap, ids[0]!, 'index'))).toEqual(readFileSync(join(data, ids[0]!, 'index')));
  });
});
