import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecordsFrom } from './tail.js';
import { segmentName } from './segments.js';
import { WALWriter } from './writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-tail-'));
  dirs.push(d);
  return d;
}

function rec(i: number, size: number): Uint8Array {
  const r = new Uint8Array(size);
  r.fill(i & 0xff);
  r[0] = 2;
  return r;
}

describe('readRecordsFrom', () => {
  it('tails a growing segment from record boundaries, incl. records fragmented across pages', async () => {
    const dir = tmp();
    const w = new WALWriter(dir, 0, { syncMode: 'none' });
    const sizes = [10, 40_000, 7, 100_000, 33, 32_761];
    const got: number[] = [];
    let pos = 0;
    for (let i = 0; i < sizes.length; i++) {
      w.log(rec(i, sizes[i]!));
      const all = fs.readFileSync(segmentName(dir, 0));
      const r = readRecordsFrom(all.subarray(pos), pos, (data, start, end) => {
        expect(start).toBeGreaterThanOrEqual(pos);
        expect(end).toBeGreaterThan(start);
        got.push(data.length);
        expect(data[1]).toBe(i & 0xff);
      });
      expect(r.corrupt).toBeUndefined();
      pos = r.end;
    }
    expect(got).toEqual(sizes);
    await w.close();
  });

  it('stops before an incomplete record and resumes there', async () => {
    const dir = tmp();
    const w = new WALWriter(dir, 0, { syncMode: 'none' });
    w.log(rec(1, 100));
    w.log(rec(2, 50_000));
    await w.close();
    const all = fs.readFileSync(segmentName(dir, 0));
    const seen: number[] = [];
    const r1 = readRecordsFrom(all.subarray(0, 40_000), 0, (d) => seen.push(d.length));
    expect(seen).toEqual([100]);
    expect(r1.corrupt).toBeUndefined();
    const r2 = readRecordsFrom(all.subarray(r1.end), r1.end, (d) => seen.push(d.length));
    expect(seen).toEqual([100, 50_000]);
    expect(r2.corrupt).toBeUndefined();
  });

  it('passes the compression flag of a record through, and rejects one that changes within a record', async () => {
    const dir = tmp();
    const w = new WALWriter(dir, 0, { syncMode: 'none' });
    w.log(rec(1, 100));
    w.log(rec(2, 40_000));
    await w.close();
    const all = fs.readFileSync(segmentName(dir, 0));
    // The CRC covers the data only, so a flag bit can be set in place.
    all[0] = all[0]! | 0x08;
    const flags: number[] = [];
    expect(readRecordsFrom(all, 0, (_d, _s, _e, f) => flags.push(f)).corrupt).toBeUndefined();
    expect(flags).toEqual([0x08, 0]);
    all[107] = all[107]! | 0x08; // first fragment of the second record only
    const r = readRecordsFrom(all.subarray(107), 107, () => undefined);
    expect(r.corrupt).toMatch(/compression flag changes within the record at byte 107/);
  });

  it('reports corruption where the bytes are complete but wrong', async () => {
    const dir = tmp();
    const w = new WALWriter(dir, 0, { syncMode: 'none' });
    w.log(rec(1, 100));
    w.log(rec(2, 100));
    await w.close();
    const all = fs.readFileSync(segmentName(dir, 0));
    all[7 + 100 + 7 + 5] = all[7 + 100 + 7 + 5]! ^ 0xff;
    const seen: number[] = [];
    const r = readRecordsFrom(all, 0, (d) => seen.push(d.length));
    expect(seen).toEqual([100]);
    expect(r.end).toBe(107);
    expect(r.corrupt).toMatch(/checksum mismatch at byte 107/);
  });
});
