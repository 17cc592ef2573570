import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backfillInput } from '../test-support/om-input.js';
import { backfill, blockDurationFor, type BackfillProgress } from './backfill.js';
import { parseBackfillInput } from './backfill-parse.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-backfill-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('backfill', () => {
  it('picks promtool\'s block durations', () => {
    const h = 3_600_000;
    expect([0, h, 2 * h, 6 * h - 1, 6 * h, 24 * h, 1e12].map(blockDurationFor)).toEqual([2 * h, 2 * h, 2 * h, 2 * h, 6 * h, 18 * h, 2 * h * 3 ** 9]);
  });
  it('reports bytes read and blocks written', async () => {
    const input = Buffer.from(backfillInput(1565133700000, 6, { stepMs: 1000, series: 2 }));
    expect(input.length).toBeGreaterThan(2 << 20);
    const seen: BackfillProgress[] = [];
    const metas = await backfill(input, tmp, { onProgress: (p) => seen.push(p) });
    const parse = seen.filter((p) => p.phase === 'parse');
    expect(parse.length).toBeGreaterThanOrEqual(2);
    expect(parse.every((p, i) => p.bytesRead <= input.length && (i === 0 || p.bytesRead > parse[i - 1]!.bytesRead))).toBe(true);
    expect(seen.filter((p) => p.phase === 'write').map((p) => `${p.blocksWritten}/${p.blocksTotal}`)).toEqual(metas.map((_, i) => `${i + 1}/${metas.length}`));
    expect(readdirSync(tmp).sort()).toEqual(metas.map((m) => m.ulid).sort());
    expect(metas.reduce((a, m) => a + m.stats.numSamples!, 0)).toBe(2 * 6 * 3600 + 2 * Math.ceil((6 * 3600) / 7));
  });
  it('parses large inputs piece by piece with the same result and whole-input line numbers', async () => {
    const text = backfillInput(1565133700000, 3, { stepMs: 60_000, series: 2 });
    const one = parseBackfillInput(Buffer.from(text));
    const many = parseBackfillInput(Buffer.from(text), undefined, 100);
    expect(many.n).toBe(one.n);
    expect(many.labels.map(String)).toEqual(one.labels.map(String));
    expect([...many.ts.subarray(0, many.n)]).toEqual([...one.ts.subarray(0, one.n)]);
    expect([...many.lines.subarray(0, many.n)]).toEqual([...one.lines.subarray(0, one.n)]);
    const lines = text.split('\n');
    lines.splice(40, 0, 'broken{ 1 2');
    expect(() => parseBackfillInput(Buffer.from(lines.join('\n')), undefined, 100)).toThrow(/^getting min and max timestamp: next: openmetrics parse error at 41:8: /);
    // A counter's exemplars stay allowed after a piece boundary (its TYPE is carried over).
    const ex = ['# TYPE c counter', ...Array.from({ length: 20 }, (_, i) => `c_total ${i} ${i + 1} # {a="b"} 1`), '# TYPE g gauge', 'g 1 1 # {} 1', '# EOF', ''].join('\n');
    expect(() => parseBackfillInput(Buffer.from(ex), undefined, 64)).toThrow(/at 23:1: metric name g does not support exemplars/);
  });
  it('writes nothing for an input without samples', async () => {
    expect(await backfill(Buffer.from('# TYPE a counter\n# EOF\n'), tmp)).toEqual([]);
  });
});
