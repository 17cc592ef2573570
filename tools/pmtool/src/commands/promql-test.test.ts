import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../index.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pmtool-promql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = join(dir, 'good.test');
writeFileSync(
  good,
  `load 1m
  up{job="a"} 0+1x10
  hist 1 {{schema:0 count:1}}

eval instant at 5m up
  up{job="a"} 5

eval range from 0 to 2m step 1m sum(up)
  {} 0 1 2

eval instant at 1m hist
  {} 1
`,
);
const bad = join(dir, 'bad.test');
writeFileSync(
  bad,
  `load 1m
  up 1

eval instant at 0 up
  up 2
`,
);

describe('pmtool promql test', () => {
  it('prints a per-file table, the skip rule and the totals', async () => {
    const t = io();
    expect(await runCli(['promql', 'test', good], t.io)).toBe(0);
    const out = t.out.join('');
    expect(out).toMatch(/good\.test\s+2\s+0\s+1\s+100\.0%/);
    expect(out).toContain('skipped: an eval is skipped only if it needs native histograms');
    expect(out.trimEnd().split('\n').pop()).toBe('2 passed, 0 failed');
  });

  it('exits non-zero on a failing eval and shows it with --verbose', async () => {
    const t = io();
    expect(await runCli(['promql', 'test', '--verbose', good, bad], t.io)).toBe(1);
    const out = t.out.join('');
    expect(out).toMatch(/bad\.test\s+0\s+1\s+0\s+0\.0%/);
    expect(out).toContain('bad.test:4: up');
    expect(out).toContain('expected 2 for {__name__="up"}, got 1');
    expect(out.trimEnd().split('\n').pop()).toBe('2 passed, 1 failed');
  });

  it('with --require only the named files must meet the threshold', async () => {
    const t = io();
    expect(await runCli(['promql', 'test', '--require', 'good', '--threshold', '95', good, bad], t.io)).toBe(0);
    expect(t.out.join('')).toContain('failures in files that are not required: bad (0.0%)');
    const t2 = io();
    expect(await runCli(['promql', 'test', '--require=bad', good, bad], t2.io)).toBe(1);
    expect(t2.out.join('')).toContain('required files below 100%: bad (0.0%)');
  });

  it('rejects bad usage with a message', async () => {
    const t = io();
    expect(await runCli(['promql', 'test'], t.io)).toBe(1);
    expect(t.err.join('')).toContain('no test files given');
    const t2 = io();
    expect(await runCli(['promql', 'test', '--threshold', 'x', good], t2.io)).toBe(1);
    expect(t2.err.join('')).toContain('--threshold needs a percentage');
    const t3 = io();
    expect(await runCli(['promql', 'frob'], t3.io)).toBe(1);
    expect(t3.err.join('')).toContain('unknown promql command "frob"');
  });

  it('reports a file that cannot be read or parsed', async () => {
    const broken = join(dir, 'broken.test');
    writeFileSync(broken, 'frobnicate 1m\n');
    const t = io();
    expect(await runCli(['promql', 'test', broken, join(dir, 'missing.test')], t.io)).toBe(1);
    const out = t.out.join('');
    expect(out).toContain('broken.test');
    expect(out).toContain('line 1: invalid command "frobnicate 1m"');
    expect(out).toContain('missing.test');
  });
});

const shared = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../../shared');
const confDir = join(shared, 'conformance/promqltest');

describe.skipIf(!existsSync(confDir))('pmtool promql test on the conformance scripts', () => {
  it('runs all files and meets the bars on the required ones', async () => {
    const files = readdirSync(confDir)
      .filter((f) => f.endsWith('.test'))
      .map((f) => join(confDir, f));
    const t = io();
    const code = await runCli(
      [
        'promql',
        'test',
        '--threshold',
        '95',
        '--require',
        'literals,selectors,staleness,collision,trig_functions,subquery,range_queries,at_modifier,operators,aggregators,functions,name_label_dropping,histograms',
        ...files,
      ],
      t.io,
    );
    expect(t.out.join('')).not.toContain('required files below');
    expect(code).toBe(0);
  }, 60_000);
});
