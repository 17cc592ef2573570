import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WALWriter, crc32c, segmentName } from '@promethium/tsdb-core';
import { afterAll, describe, expect, it } from 'vitest';
import { readWalSegment } from './wal-segment.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-wal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readWalSegment', () => {
  const records = [new Uint8Array([1, 2, 3]), new Uint8Array(70_000).map((_, i) => i % 251), new Uint8Array(40_000).fill(7), new Uint8Array([9])];
  const segment = async (): Promise<Uint8Array> => {
    const dir = mkdtempSync(join(tmp, 'w'));
    const w = new WALWriter(dir, 0, {});
    for (const r of records) w.log(r);
    await w.close();
    return new Uint8Array(readFileSync(segmentName(dir, 0)));
  };
  it('reads whole and fragmented records across pages', async () => {
    const got: Buffer[] = [];
    expect(readWalSegment(await segment(), (r) => got.push(Buffer.from(r)))).toBeUndefined();
    expect(got.map((g) => g.length)).toEqual(records.map((r) => r.length));
    got.forEach((g, i) => expect(g.equals(records[i]!), `record ${i}`).toBe(true));
  });
  it('stops at damage and says where', async () => {
    const buf = await segment();
    buf[40_000] = buf[40_000]! ^ 0xff; // inside the second record's first page
    let got = 0;
    const d = readWalSegment(buf, () => got++);
    expect(got).toBe(1);
    expect(d).toEqual({ offset: 10, reason: 'checksum mismatch' });
    expect(readWalSegment(buf.subarray(0, 12), () => {})).toEqual({ offset: 10, reason: 'torn fragment header' });
  });
  it('decompresses snappy records (fragment flag 0x08)', () => {
    // One full fragment holding "hello" as a snappy literal, then a corrupt compressed record.
    const fragment = (type: number, data: number[]) => {
      const d = new Uint8Array(data);
      const c = crc32c(d);
      return [type, 0, d.length, c >>> 24, (c >>> 16) & 0xff, (c >>> 8) & 0xff, c & 0xff, ...d];
    };
    const seg = new Uint8Array([...fragment(0x09, [5, 4 << 2, ...Buffer.from('hello')]), ...fragment(0x09, [9, 0, 1])]);
    const got: string[] = [];
    const d = readWalSegment(seg, (r) => got.push(Buffer.from(r).toString()));
    expect(got).toEqual(['hello']);
    expect(d).toEqual({ offset: 14, reason: 'record does not decode: snappy: decoded 1 bytes, header says 9' });
  });
});
