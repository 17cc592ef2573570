import { describe, expect, it } from 'vitest';
import { snappyDecode } from './snappy.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('snappyDecode', () => {
  it('decodes literals and the three copy forms, overlapping copies included', () => {
    // "abcd" literal, then copy-1 (len 4, offset 4) -> "abcdabcd".
    expect(text(snappyDecode(bytes(8, 3 << 2, 97, 98, 99, 100, 0b000_000_01, 4)))).toBe('abcdabcd');
    // "ab" then copy-2 of 6 bytes at offset 2 (overlapping) -> "abababab".
    expect(text(snappyDecode(bytes(8, 1 << 2, 97, 98, (5 << 2) | 2, 2, 0)))).toBe('abababab');
    // "xyz" then copy-4 of 3 bytes at offset 3.
    expect(text(snappyDecode(bytes(6, 2 << 2, 120, 121, 122, (2 << 2) | 3, 3, 0, 0, 0)))).toBe('xyzxyz');
    // A literal with a one-byte length (tag 60): 61 bytes.
    const lit = new Uint8Array(61).fill(65);
    expect(snappyDecode(bytes(61, 60 << 2, 60, ...lit))).toEqual(lit);
    expect(snappyDecode(bytes(0))).toEqual(new Uint8Array(0));
  });
  it('rejects damaged input', () => {
    expect(() => snappyDecode(bytes())).toThrow('bad length header');
    expect(() => snappyDecode(bytes(4, 3 << 2, 97))).toThrow('overruns the input');
    expect(() => snappyDecode(bytes(8, 0, 97, 0b000_000_01, 4))).toThrow('copy offset 4 outside the 1 bytes written');
    expect(() => snappyDecode(bytes(5, 0, 97))).toThrow('decoded 1 bytes, header says 5');
  });
});
