import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from './bstream.js';

describe('BitWriter / BitReader', () => {
  it('writes most significant bit first across byte boundaries', () => {
    const w = new BitWriter(new Uint8Array(1));
    w.writeBit(1);
    w.writeBits(0b01, 2);
    w.writeBits(0x1ffff, 17);
    w.writeBits(0xdeadbeef, 32);
    w.writeBits64(0x12345, 0x6789abcd, 49);
    expect(w.pos).toBe(1 + 2 + 17 + 32 + 49);
    const r = new BitReader(w.bytes());
    expect(r.readBit()).toBe(1);
    expect(r.readBits(2)).toBe(1);
    expect(r.readBits(17)).toBe(0x1ffff);
    expect(r.readBits(32)).toBe(0xdeadbeef);
    r.readBits64(49);
    expect([r.hi, r.lo]).toEqual([0x12345, 0x6789abcd]);
    expect(r.eof).toBe(false);
  });

  it('round-trips Go varints', () => {
    const w = new BitWriter();
    const vals = [0, 1, -1, 63, -64, 300, -300, 2 ** 40, -(2 ** 40), 2 ** 52, -(2 ** 52)];
    for (const v of vals) w.writeVarint(v);
    w.writeUvarint(127);
    w.writeUvarint(128);
    // Go: PutUvarint(128) = 0x80 0x01.
    expect(Buffer.from(w.bytes().subarray(-3)).toString('hex')).toBe('7f8001');
    const r = new BitReader(w.bytes());
    for (const v of vals) expect(r.readVarint()).toBe(v);
    expect(r.readUvarint()).toBe(127);
    expect(r.readUvarint()).toBe(128);
  });

  it('flags reads past the end instead of throwing', () => {
    const r = new BitReader(Uint8Array.of(0xff));
    expect(r.readBits(8)).toBe(0xff);
    expect(r.readBit()).toBe(0);
    expect(r.eof).toBe(true);
    const r2 = new BitReader(Uint8Array.of(0x80, 0x80));
    expect(r2.readUvarint()).toBe(0);
    expect(r2.eof).toBe(true);
  });
});
