import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  it('matches the Castagnoli check values', () => {
    // The standard check value: CRC-32C("123456789") = 0xe3069283.
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // RFC 3720 B.4: 32 bytes of zeros -> 0x8a9136aa.
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });
  it('chains and handles unaligned ranges', () => {
    const b = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
    const whole = crc32c(b, 3, 50);
    expect(crc32c(b, 20, 50, crc32c(b, 3, 20))).toBe(whole);
  });
});
