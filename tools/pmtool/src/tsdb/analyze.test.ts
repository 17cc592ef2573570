import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Block } from '@promethium/tsdb-core';
import { afterAll, describe, expect, it } from 'vitest';
import { backfillInput } from '../test-support/om-input.js';
import { analyzeBlock } from './analyze.js';
import { backfill } from './backfill.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-analyze-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('analyzeBlock', () => {
  it('reports progress through the series', async () => {
    const [meta] = await backfill(Buffer.from(backfillInput(1565128800000, 1, { series: 10 })), tmp);
    const block = await Block.open(join(tmp, meta!.ulid));
    try {
      const seen: string[] = [];
      const out = analyzeBlock(block, { limit: 3, extended: false, progressEvery: 4, onProgress: (d, t) => seen.push(`${d}/${t}`) });
      expect(seen).toEqual(['4/12', '8/12', '12/12']);
      expect(out).toContain('Series: 12\n');
      expect(out).toContain('Most common label pairs:\n10 __name__=http_requests_total\n10 path=/a"b\\c\nd\n2 __name__=temperature_celsius\n');
    } finally {
      block.close();
    }
  });
});
