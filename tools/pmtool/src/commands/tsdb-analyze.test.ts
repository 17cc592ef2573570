import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockFixture, promtoolOnCopy, type BlockFixture } from '../test-support/block-fixture.js';
import { hasPrometheus } from '../test-support/real-prometheus.js';
import { pm, sortTies } from '../test-support/run.js';

let fx: BlockFixture;
beforeAll(async () => {
  fx = await blockFixture();
});
afterAll(() => fx.cleanup());

describe('pmtool tsdb analyze', () => {
  it('reports the newest block by default', async () => {
    const r = await pm(['tsdb', 'analyze', fx.ours]);
    expect(r.code).toBe(0);
    const last = readdirSync(fx.ours).sort().at(-1)!;
    expect(r.out).toMatch(new RegExp(`^Block ID: ${last}\nDuration: \\S+\nSeries: 8\nLabel names: 5\n`));
    for (const title of [
      'Label pairs most involved in churning:',
      'Label names most involved in churning:',
      'Most common label pairs:',
      'Label names with highest cumulative label value length:',
      'Highest cardinality labels:',
      'Highest cardinality metric names:',
    ]) {
      expect(r.out).toContain(`\n\n${title}\n`);
    }
    expect(r.out).toContain('\n6 http_requests_total\n2 temperature_celsius\n');
  });
  it('limits lists, restricts to --match and runs the extended analysis', async () => {
    const r = await pm(['tsdb', 'analyze', '--limit=1', '--extended', '--match={room="r1"}', fx.ours]);
    expect(r.out).toContain('Matcher: {room="r1"}\n');
    expect(r.out).toContain('Matched series: 1\n');
    expect(r.out).toContain('Highest cardinality metric names:\n1 temperature_celsius\n');
    expect(r.out).toMatch(/Compaction analysis:\nFullness: Amount of samples in chunks \(100% is 120 samples\)\n {5}10%: #*\n/);
  });
  it('fails on an unknown block, a bad limit or an empty directory', async () => {
    expect(await pm(['tsdb', 'analyze', fx.ours, '01XXX'])).toEqual({ code: 1, out: '', err: 'block 01XXX not found\n' });
    expect((await pm(['tsdb', 'analyze', '--limit=x', fx.ours])).code).toBe(1);
    expect((await pm(['tsdb', 'analyze', '--help'])).out).toMatch(/--limit[\s\S]*--extended[\s\S]*--match[\s\S]*<block id>/);
  });
});

describe.skipIf(!hasPrometheus)('pmtool tsdb analyze vs promtool 2.42', () => {
  it('prints the same report for every block, ours and promtool\'s (ties in any order)', async () => {
    for (const dir of [fx.ours, fx.theirs!]) {
      for (const id of readdirSync(dir).filter((n) => /^[0-9A-Z]{26}$/.test(n))) {
        for (const flags of [['--limit=1000'], ['--limit=1000', '--extended']]) {
          const ours = await pm(['tsdb', 'analyze', ...flags, dir, id]);
          const theirs = promtoolOnCopy(dir, (p) => ['tsdb', 'analyze', ...flags, p, id]);
          expect(ours.code).toBe(0);
          expect(sortTies(ours.out)).toBe(sortTies(theirs.out));
        }
      }
    }
  });
  it('agrees on errors', async () => {
    const ours = await pm(['tsdb', 'analyze', fx.ours, '01XXX']);
    expect(ours).toEqual(promtoolOnCopy(fx.ours, (p) => ['tsdb', 'analyze', p, '01XXX']));
  });
});
