import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/blocks.js';
import { WindowedFile } from './windowed-file.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('WindowedFile', () => {
  it('returns the same bytes as the file for reads within and across windows', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const data = new Uint8Array(10_000).map((_, i) => (i * 7 + 3) & 0xff);
    const file = join(t.dir, 'f');
    writeFileSync(file, data);
    const f = new WindowedFile(file, 1024, 2);
    expect(f.size).toBe(10_000);
    for (const [off, len] of [[0, 10], [1020, 10], [5000, 3000], [9990, 10], [2048, 1024], [0, 0]] as const) {
      expect([...f.read(off, len)]).toEqual([...data.subarray(off, off + len)]);
    }
    // A view taken before eviction stays valid.
    const early = f.read(0, 4);
    for (let w = 1; w < 9; w++) f.read(w * 1024, 8);
    expect([...early]).toEqual([...data.subarray(0, 4)]);
    expect(() => f.read(9_999, 2)).toThrow(/outside file/);
    f.close();
  });
});
