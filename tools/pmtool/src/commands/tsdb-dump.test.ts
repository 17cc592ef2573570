import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockFixture, FIXTURE_START, promtoolOnCopy, type BlockFixture } from '../test-support/block-fixture.js';
import { hasPrometheus } from '../test-support/real-prometheus.js';
import { pm } from '../test-support/run.js';

let fx: BlockFixture;
beforeAll(async () => {
  fx = await blockFixture();
});
afterAll(() => fx.cleanup());

describe('pmtool tsdb dump', () => {
  it('prints every sample as `{labels} value timestamp`, series in label order', async () => {
    const r = await pm(['tsdb', 'dump', fx.ours]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`{__name__="http_requests_total", code="200", path="/a\\"b\\\\c\\nd"} 0 ${FIXTURE_START}`);
    expect(lines).toContain(`{__name__="temperature_celsius", note="ü ✓", room="r0"} 1e+06 ${FIXTURE_START}`);
    expect(r.out).toContain(' NaN ');
    expect(r.out).toContain(' -2.5e-07 ');
  });
  it('restricts by time and selector', async () => {
    const r = await pm(['tsdb', 'dump', `--min-time=${FIXTURE_START + 15_000}`, `--max-time=${FIXTURE_START + 30_000}`, '--match', '{code="201"}', fx.ours]);
    expect(r.out).toBe(
      `{__name__="http_requests_total", code="201", path="/a\\"b\\\\c\\nd"} 2 ${FIXTURE_START + 15_000}\n` +
        `{__name__="http_requests_total", code="201", path="/a\\"b\\\\c\\nd"} 4 ${FIXTURE_START + 30_000}\n`,
    );
  });
  it('reports a bad selector or time', async () => {
    const bad = await pm(['tsdb', 'dump', '--match=temp{', fx.ours]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/parse error/);
    expect((await pm(['tsdb', 'dump', '--min-time=soon', fx.ours])).code).toBe(1);
    expect((await pm(['tsdb', 'dump', '--help'])).out).toMatch(/--min-time[\s\S]*--max-time[\s\S]*--match/);
  });
});

describe('pmtool tsdb dump as a process', () => {
  it('ends quietly when its reader goes away (| head)', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const child = spawn(join(root, '..', '..', 'node_modules', '.bin', 'tsx'), ['--conditions=@promethium/source', join(root, 'src', 'main.ts'), 'tsdb', 'dump', fx.ours], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((res) => child.stdout.once('data', () => res()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    expect(err).toBe('');
    expect(code).toBe(141);
  });
});

describe.skipIf(!hasPrometheus)('pmtool tsdb dump vs promtool 2.42', () => {
  const cases: string[][] = [
    [],
    [`--min-time=${FIXTURE_START + 3_600_000}`, `--max-time=${FIXTURE_START + 3 * 3_600_000}`],
    ['--match={room="r1"}'],
    ['--match=http_requests_total{code=~"20[03]"}'],
    ['--match={__name__!="temperature_celsius"}', `--max-time=${FIXTURE_START + 600_000}`],
    ['--match={room=~"r1|"}', `--min-time=${FIXTURE_START + 600_000}`],
    ['--match={}'],
  ];
  for (const flags of cases) {
    it(`prints what promtool prints ${flags.join(' ')}`, async () => {
      for (const dir of [fx.ours, fx.theirs!]) {
        const ours = await pm(['tsdb', 'dump', ...flags, dir]);
        const theirs = promtoolOnCopy(dir, (p) => ['tsdb', 'dump', ...flags, p]);
        expect(ours.code).toBe(0);
        expect(ours).toEqual(theirs);
      }
    });
  }
});
