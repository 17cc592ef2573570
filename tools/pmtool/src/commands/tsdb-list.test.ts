import { cpSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockFixture, promtoolOnCopy, type BlockFixture } from '../test-support/block-fixture.js';
import { hasPrometheus } from '../test-support/real-prometheus.js';
import { pm } from '../test-support/run.js';

let fx: BlockFixture;
beforeAll(async () => {
  fx = await blockFixture();
});
afterAll(() => fx.cleanup());

describe('pmtool tsdb list', () => {
  it('lists the blocks in time order', async () => {
    const r = await pm(['tsdb', 'list', fx.ours]);
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\n');
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/^[0-9A-Z]{26} {2}1565133700000 {2}\d{13} {2}\S+ +\d+ +\d+ +8 +\d+$/);
  });
  it('fails like promtool on a missing directory and checks its arguments', async () => {
    expect(await pm(['tsdb', 'list', `${fx.root}/nope`])).toEqual({ code: 1, out: '', err: `opening the db dir: stat ${fx.root}/nope: no such file or directory\n` });
    expect((await pm(['tsdb', 'list', '--frob'])).err).toBe("pmtool: error: unknown long flag '--frob', try --help\n");
    expect((await pm(['tsdb', 'list', 'a', 'b'])).err).toBe('pmtool: error: unexpected b, try --help\n');
    const help = await pm(['tsdb', 'list', '--help']);
    expect(help.out).toContain('--human-readable');
    expect(help.out).toContain('[<db path>]');
  });
});

describe('pmtool tsdb list, analyze and dump on damaged blocks', () => {
  it('fail with the file and what is wrong, without a stack trace', async () => {
    const damaged = (name: string, damage: (block: string) => void): [string, string] => {
      const dir = join(fx.root, name);
      cpSync(fx.ours, dir, { recursive: true });
      const block = join(dir, readdirSync(dir).sort()[0]!);
      damage(block);
      return [dir, block];
    };
    const [badMeta, b1] = damaged('bad-meta', (b) => writeFileSync(join(b, 'meta.json'), '{"ulid": 1}'));
    const [badIndex, b2] = damaged('bad-index', (b) => truncateSync(join(b, 'index'), 100));
    const [badChunks, b3] = damaged('bad-chunks', (b) => truncateSync(join(b, 'chunks', '000001'), 20));
    for (const cmd of ['list', 'analyze', 'dump']) {
      const m = await pm(['tsdb', cmd, badMeta]);
      expect(m, cmd).toEqual({ code: 1, out: '', err: `${b1}/meta.json: field "version": expected an integer, found undefined\n` });
      const i = await pm(['tsdb', cmd, badIndex]);
      expect(i.code, cmd).toBe(1);
      expect(i.err, cmd).toMatch(new RegExp(`^${b2}/index: offset \\d+: `));
    }
    const id = b3.split('/').at(-1)!;
    const c = await pm(['tsdb', 'analyze', '--extended', badChunks, id]);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(new RegExp(`^${b3}/chunks/000001: offset \\d+: truncated chunk`));
    const d = await pm(['tsdb', 'dump', badChunks]);
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/chunks\/000001: offset \d+: truncated chunk/);
  });
});

describe.skipIf(!hasPrometheus)('pmtool tsdb list vs promtool 2.42', () => {
  for (const flags of [[], ['-r'], ['--human-readable']]) {
    it(`prints promtool's table ${flags.join(' ')} for our blocks and promtool's`, async () => {
      for (const dir of [fx.ours, fx.theirs!]) {
        const ours = await pm(['tsdb', 'list', ...flags, dir]);
        const theirs = promtoolOnCopy(dir, (p) => ['tsdb', 'list', ...flags, p]);
        expect(ours).toEqual(theirs);
      }
    });
  }
  it('prints the header alone for an empty directory', async () => {
    const empty = `${fx.root}/empty`;
    await import('node:fs').then((fs) => fs.mkdirSync(empty));
    expect(await pm(['tsdb', 'list', empty])).toEqual(promtoolOnCopy(empty, (p) => ['tsdb', 'list', p]));
  });
});
