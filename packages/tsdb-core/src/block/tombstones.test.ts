import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/blocks.js';
import { Tombstones, addInterval, decodeTombstones, encodeTombstones, readTombstones, writeTombstones } from './tombstones.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('tombstones', () => {
  it('merges overlapping and adjacent intervals', () => {
    let ivs = addInterval([], { mint: 10, maxt: 20 });
    ivs = addInterval(ivs, { mint: 30, maxt: 40 });
    expect(ivs).toEqual([{ mint: 10, maxt: 20 }, { mint: 30, maxt: 40 }]);
    expect(addInterval(ivs, { mint: 21, maxt: 29 })).toEqual([{ mint: 10, maxt: 40 }]);
    expect(addInterval(ivs, { mint: 0, maxt: 5 })).toEqual([{ mint: 0, maxt: 5 }, { mint: 10, maxt: 20 }, { mint: 30, maxt: 40 }]);
    expect(addInterval(ivs, { mint: 15, maxt: 35 })).toEqual([{ mint: 10, maxt: 40 }]);
  });

  it('writes the documented layout and reads it back, with int64 extremes', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    expect([...encodeTombstones(new Tombstones())]).toEqual([0x01, 0x30, 0xba, 0x30, 1, 0, 0, 0, 0]);
    const ts = new Tombstones();
    ts.add(3, { mint: -(2 ** 63), maxt: 2 ** 63 });
    ts.add(16, { mint: 100, maxt: 200 });
    ts.add(16, { mint: 300, maxt: 400 });
    writeTombstones(t.dir, ts);
    const back = readTombstones(t.dir);
    expect(back.total()).toBe(3);
    expect(back.get(16)).toEqual([{ mint: 100, maxt: 200 }, { mint: 300, maxt: 400 }]);
    expect(back.get(3)![0]!.mint).toBe(-(2 ** 63));
    expect(back.get(3)![0]!.maxt).toBe(2 ** 63);
    expect(readTombstones(join(t.dir, 'missing')).total()).toBe(0);
  });

  it('rejects bad magic, CRC mismatch and truncation', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ts = new Tombstones();
    ts.add(1, { mint: 1, maxt: 2 });
    writeTombstones(t.dir, ts);
    const file = join(t.dir, 'tombstones');
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    bad[6]! ^= 1;
    expect(() => decodeTombstones(bad, file)).toThrow(/tombstones: offset \d+: CRC32C mismatch/);
    const magic = Buffer.from(good);
    magic[0] = 9;
    expect(() => decodeTombstones(magic, file)).toThrow(/offset 0: bad magic/);
    writeFileSync(file, good.subarray(0, 4));
    expect(() => readTombstones(t.dir)).toThrow(/truncated/);
  });
});
