import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backfillInput } from '../test-support/om-input.js';
import { hasPrometheus } from '../test-support/real-prometheus.js';
import { maskTable, pm, promtool } from '../test-support/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'pmtool-backfill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let seq = 0;
const dir = () => join(tmp, `d${seq++}`);
const file = (text: string) => {
  const f = join(tmp, `in${seq++}.om`);
  writeFileSync(f, text);
  return f;
};
const blockDirs = (d: string) => (existsSync(d) ? readdirSync(d).filter((n) => /^[0-9A-Z]{26}$/.test(n)) : []);
// 2019-08-06 23:21:40 UTC: not on a 2 h boundary, so the first and last windows are partial.
const START = 1565133700000;
const INPUT = backfillInput(START, 5);

describe('pmtool tsdb create-blocks-from openmetrics', () => {
  it('writes one block per 2 h window, printed as it goes', async () => {
    const out = dir();
    const r = await pm(['tsdb', 'create-blocks-from', 'openmetrics', file(INPUT), out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // 23:21:40 + 5 h touches the windows starting 22:00, 00:00, 02:00 and 04:00.
    expect(blockDirs(out)).toHaveLength(4);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^BLOCK ULID {18}MIN TIME {7}MAX TIME {7}DURATION {5}NUM SAMPLES {2}NUM CHUNKS {3}NUM SERIES {3}SIZE$/);
    const ranges = lines.slice(1).map((l) => l.split(/\s+/).slice(1, 3).map(Number) as [number, number]);
    expect(ranges[0]![0]).toBe(START);
    expect(ranges[3]![1]).toBe(START + 5 * 3_600_000 - 15_000 + 1);
    for (const [mint, maxt] of ranges) expect(Math.floor(mint / 7_200_000)).toBe(Math.floor((maxt - 1) / 7_200_000));
  });
  it('is quiet with --quiet and human-readable with -r', async () => {
    expect(await pm(['tsdb', 'create-blocks-from', 'openmetrics', '-q', file(INPUT), dir()])).toEqual({ code: 0, out: '', err: '' });
    const r = await pm(['tsdb', 'create-blocks-from', 'openmetrics', '--human-readable', file(INPUT), dir()]);
    expect(r.out).toContain('2019-08-06 23:21:40 +0000 UTC  2019-08-06 23:59:55 +0000 UTC');
    expect(r.out).toMatch(/\d+KiB\d+B\n/);
  });
  it('rejects bad input with the line, writing nothing and keeping what was there', async () => {
    const out = dir();
    await pm(['tsdb', 'create-blocks-from', 'openmetrics', '-q', file('a 1 100\n# EOF\n'), out]);
    const before = blockDirs(out);
    expect(before).toHaveLength(1);
    const cases: [string, RegExp][] = [
      ['a 1 100\na{x="1" 2 200\n# EOF\n', /^getting min and max timestamp: next: openmetrics parse error at 2:8: /],
      ['a 1 100\nb 2\n# EOF\n', /^getting min and max timestamp: next: openmetrics parse error at 2:1: expected timestamp for series b, got none/],
      ['a 1 100\n', /missing "# EOF"/],
      ['a 1 100\nb 1 200\na 2 50\n# EOF\n', /^process blocks: add sample: out of order sample at line 3: \{__name__="a"\} @ 50000/],
      ['', /missing "# EOF"/],
      ['# TYPE a gauge\na 1 100 # {} 1\n# EOF\n', /^getting min and max timestamp: next: openmetrics parse error at 2:1: metric name a does not support exemplars/],
    ];
    for (const [text, re] of cases) {
      const r = await pm(['tsdb', 'create-blocks-from', 'openmetrics', file(text), out]);
      expect(r.code, text).toBe(1);
      expect(r.err, text).toMatch(re);
      expect(r.out).toBe('');
      expect(blockDirs(out)).toEqual(before);
      expect(readdirSync(out).filter((n) => n.includes('.tmp'))).toEqual([]);
    }
    const missing = await pm(['tsdb', 'create-blocks-from', 'openmetrics', join(tmp, 'nope.om'), out]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^read input file: .*no such file/);
  });
  it('shows progress on stderr for large inputs unless --quiet', async () => {
    const big = file(backfillInput(START, 8, { stepMs: 5000, series: 3 }));
    process.env.PMTOOL_PROGRESS_MIN_BYTES = '1048576';
    try {
      const r = await pm(['tsdb', 'create-blocks-from', 'openmetrics', big, dir()]);
      expect(r.code).toBe(0);
      const lines = r.err.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^backfill: read 1\.\d \/ \d+\.\d MiB \(\d+%\)$/);
      expect(lines.at(-1)).toBe('backfill: wrote block 5 / 5');
      expect((await pm(['tsdb', 'create-blocks-from', 'openmetrics', '-q', big, dir()])).err).toBe('');
    } finally {
      delete process.env.PMTOOL_PROGRESS_MIN_BYTES;
    }
    expect((await pm(['tsdb', 'create-blocks-from', 'openmetrics', big, dir()])).err).toBe('');
  });
  it('checks its arguments like kingpin', async () => {
    expect((await pm(['tsdb', 'create-blocks-from', 'openmetrics'])).err).toBe("pmtool: error: required argument 'input file' not provided, try --help\n");
    expect((await pm(['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=xyz', 'f'])).code).toBe(1);
    const help = await pm(['tsdb', 'create-blocks-from', 'openmetrics', '--help']);
    for (const w of ['--human-readable', '--quiet', '--max-block-duration', '<input file>', '[<output directory>]']) expect(help.out).toContain(w);
  });
});

describe.skipIf(!hasPrometheus)('pmtool tsdb create-blocks-from openmetrics vs promtool 2.42', () => {
  const compare = async (input: string, flags: string[] = []) => {
    const f = file(input);
    const ours = dir();
    const theirs = dir();
    const a = await pm(['tsdb', 'create-blocks-from', 'openmetrics', ...flags, f, ours]);
    const b = promtool(['tsdb', 'create-blocks-from', 'openmetrics', ...flags, f, theirs]);
    return { a, b, ours, theirs };
  };
  /** promtool's dump needs a wal/ directory and writes chunks_head/: run it on a copy. */
  const promtoolDump = (d: string, ...flags: string[]) => {
    const copy = dir();
    cpSync(d, copy, { recursive: true });
    mkdirSync(join(copy, 'wal'), { recursive: true });
    return promtool(['tsdb', 'dump', ...flags, copy]);
  };

  it('prints the same block table and promtool reads back the same samples', async () => {
    const { a, b, ours, theirs } = await compare(INPUT);
    expect(b.code).toBe(0);
    expect(a.code).toBe(0);
    expect(maskTable(a.out)).toBe(maskTable(b.out));
    expect(maskTable(promtool(['tsdb', 'list', ours]).out)).toBe(maskTable(promtool(['tsdb', 'list', theirs]).out));
    const dumpOurs = promtoolDump(ours);
    expect(dumpOurs.code).toBe(0);
    expect(dumpOurs.out.split('\n').length).toBeGreaterThan(4000);
    expect(dumpOurs.out).toBe(promtoolDump(theirs).out);
  });
  it('splits like promtool with --max-block-duration', async () => {
    for (const d of ['6h', '24h', '1h', '1h30m']) {
      const { a, b } = await compare(backfillInput(START, 30, { stepMs: 300_000 }), [`--max-block-duration=${d}`]);
      expect(maskTable(a.out), d).toBe(maskTable(b.out));
    }
  });
  it('gives the same verdict as promtool on bad input', async () => {
    for (const text of ['a 1 100\na{x="1" 2 200\n# EOF\n', 'a 1\n# EOF\n', 'a 1 100\n', 'a{x="1"} 1 100 # {} 1\n# EOF\n', '']) {
      const { a, b, ours } = await compare(text);
      expect(a.code, text).toBe(b.code);
      expect(blockDirs(ours)).toEqual([]);
    }
  });
});
