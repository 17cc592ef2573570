import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  it('matches the standard check value and is incremental', () => {
    const b = new TextEncoder().encode('123456789');
    expect(crc32c(b)).toBe(0xe3069283);
    expect(crc32c(b, 4, 9, crc32c(b, 0, 4))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees between the 8-byte and the byte-at-a-time paths', () => {
    const b = new Uint8Array(1000).map((_, i) => (i * 31 + 7) & 0xff);
    let bytewise = 0;
    for (let i = 0; i < b.length; i++) bytewise = crc32c(b, i, i + 1, bytewise);
    expect(crc32c(b)).toBe(bytewise);
  });
});
