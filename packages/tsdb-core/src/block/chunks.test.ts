import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkReader, ChunkWriter, unpackChunkRef } from './chunks.js';
import { CorruptBlockError } from './errors.js';
import { tempDir } from '../test-support/blocks.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return join(t.dir, 'chunks');
}

describe('chunk segments', () => {
  it('writes the 8-byte header and len/encoding/data/crc records, cutting segments', () => {
    const dir = setup();
    const w = new ChunkWriter(dir, 64);
    const datas = Array.from({ length: 10 }, (_, i) => new Uint8Array(20 + i).fill(i));
    const refs = datas.map((d) => w.write(1, d));
    w.close();
    const seg = readFileSync(join(dir, '000001'));
    expect([...seg.subarray(0, 8)]).toEqual([0x85, 0xbd, 0x40, 0xdd, 1, 0, 0, 0]);
    expect(seg[8]).toBe(20); // uvarint length of the first chunk
    expect(seg[9]).toBe(1); // encoding
    expect(unpackChunkRef(refs[0]!)).toEqual([0, 8]);
    expect(unpackChunkRef(refs[9]!)[0]).toBeGreaterThan(0);
    const r = new ChunkReader(dir);
    refs.forEach((ref, i) => {
      const c = r.chunk(ref);
      expect(c.encoding).toBe(1);
      expect([...c.data]).toEqual([...datas[i]!]);
    });
  });

  it('rejects a bad magic, a CRC mismatch and a truncated chunk, naming file and offset', () => {
    const dir = setup();
    const w = new ChunkWriter(dir);
    const ref = w.write(1, new Uint8Array(30).fill(7));
    w.close();
    const file = join(dir, '000001');
    const good = readFileSync(file);

    const flipped = Buffer.from(good);
    flipped[20]! ^= 1;
    writeFileSync(file, flipped);
    expect(() => new ChunkReader(dir).chunk(ref)).toThrow(/000001: offset 8: chunk CRC32C mismatch/);

    writeFileSync(file, good.subarray(0, good.length - 3));
    expect(() => new ChunkReader(dir).chunk(ref)).toThrow(/offset 8: truncated chunk/);

    const badMagic = Buffer.from(good);
    badMagic[0] = 0;
    writeFileSync(file, badMagic);
    expect(() => new ChunkReader(dir)).toThrow(CorruptBlockError);
    expect(() => new ChunkReader(dir)).toThrow(/offset 0: bad magic/);

    writeFileSync(file, good.subarray(0, 5));
    expect(() => new ChunkReader(dir)).toThrow(/truncated: segment header/);
  });
});
