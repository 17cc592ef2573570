import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pieces, sourceSize } from './input-pieces.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-pieces-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('input pieces', () => {
  const text = 'aaaa\nbb\n' + 'x'.repeat(30) + '\ncc\ndd';
  const expectPieces = (got: ReturnType<typeof pieces>) => {
    const list = [...got].map((p) => ({ text: Buffer.from(p.bytes).toString(), start: p.start, linesBefore: p.linesBefore, last: p.last }));
    expect(list.map((p) => p.text).join('')).toBe(text);
    for (const p of list.slice(0, -1)) expect(p.text.endsWith('\n')).toBe(true);
    for (const p of list) expect(text.slice(p.start).startsWith(p.text)).toBe(true);
    for (const p of list) expect(p.linesBefore).toBe(text.slice(0, p.start).split('\n').length - 1);
    expect(list.at(-1)!.last).toBe(true);
    return list;
  };
  it('cuts bytes at line ends, carrying long lines over', () => {
    const list = expectPieces(pieces(Buffer.from(text), 6));
    expect(list.length).toBeGreaterThan(3);
  });
  it('reads a file the same way', () => {
    const f = join(tmp, 'in.txt');
    writeFileSync(f, text);
    expect(sourceSize({ file: f })).toBe(text.length);
    expectPieces(pieces({ file: f }, 7));
    expect([...pieces({ file: f })]).toHaveLength(1);
  });
  it('yields one empty last piece for empty input', () => {
    expect([...pieces(new Uint8Array(0))].map((p) => [p.bytes.length, p.last])).toEqual([[0, true]]);
  });
});
