import { describe, expect, it } from 'vitest';
import { CorruptBlockError } from './errors.js';
import { Decbuf, Encbuf, compareBytewise } from './encoding.js';

describe('Encbuf/Decbuf', () => {
  it('round-trips varints, fixed ints and strings', () => {
    const e = new Encbuf(4);
    const nums = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1];
    for (const n of nums) e.putUvarint(n);
    const signed = [0, -1, 1, -64, 64, -(2 ** 40), 1_700_000_000_000, -(2 ** 52 - 1)];
    for (const n of signed) e.putVarint(n);
    e.putBE32(0xdeadbeef);
    e.putBE64(2 ** 40 + 3);
    e.putUvarintStr('héllo ☃');
    const d = new Decbuf(e.get(), 'mem');
    for (const n of nums) expect(d.uvarint()).toBe(n);
    for (const n of signed) expect(d.varint()).toBe(n);
    expect(d.be32()).toBe(0xdeadbeef);
    expect(d.be64()).toBe(2 ** 40 + 3);
    expect(d.uvarintStr()).toBe('héllo ☃');
    expect(d.remaining).toBe(0);
  });

  it('matches Go varint bytes for int64 extremes', () => {
    const e = new Encbuf();
    e.putVarint(-(2 ** 63));
    // Go: binary.PutVarint(math.MinInt64) = ff ff ff ff ff ff ff ff ff 01
    expect([...e.get()]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(new Decbuf(e.get(), 'mem').varint()).toBe(-(2 ** 63));
  });

  it('reports truncation with file and offset', () => {
    const d = new Decbuf(Uint8Array.of(0x80, 0x80), 'f.bin');
    expect(() => d.uvarint('series length')).toThrow(CorruptBlockError);
    expect(() => new Decbuf(Uint8Array.of(1, 2), 'f.bin').be32('count')).toThrow(/f\.bin: offset 0: truncated: need 4 bytes for count/);
  });
});

describe('compareBytewise', () => {
  it('orders by code point like Go', () => {
    expect(compareBytewise('a', 'b')).toBeLessThan(0);
    expect(compareBytewise('ab', 'a')).toBeGreaterThan(0);
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in Go.
    expect(compareBytewise('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect(compareBytewise('\u{1f600}', '\uff5e')).toBeGreaterThan(0);
  });
});
