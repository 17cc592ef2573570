import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeProtobuf, parseText } from '@promethium/exposition';
import { describe, expect, it } from 'vitest';
import { runCli } from '../index.js';
import { detectFormat } from './check-metrics.js';

const SHARED = process.env.PROMETHIUM_SHARED ?? resolve(import.meta.dirname, '../../../../../shared');
const SUITE = resolve(SHARED, 'conformance/openmetrics/testdata/parsers');

async function run(args: string[], input: Uint8Array | string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['check', 'metrics', ...args], {
    stdin: () => Promise.resolve(Buffer.from(input)),
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('pmtool check metrics', () => {
  it('exits 0 on clean input', async () => {
    expect(await run([], '# HELP a_total Total.\n# TYPE a_total counter\na_total 1\n')).toEqual({ code: 0, out: '', err: '' });
  });
  it('exits 3 with one line per lint problem, promtool wording', async () => {
    const r = await run([], '# TYPE a counter\na 1\n');
    expect(r.code).toBe(3);
    expect(r.err).toBe('a counter metrics should have "_total" suffix\na no help text\n');
    expect((await run(['--lint=none'], '# TYPE a counter\na 1\n')).code).toBe(0);
  });
  it('exits 1 with line:column on a parse error', async () => {
    const r = await run(['--lint', 'none'], 'a 1\nb{x="1" 2\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error while linting: text parse error at 2:9: /);
  });
  it('parses each format, chosen explicitly or detected', async () => {
    const om = '# TYPE a counter\n# HELP a x\na_total 1\n# EOF\n';
    const pb = encodeProtobuf(parseText('# HELP a_total x\n# TYPE a_total counter\na_total 1\n'));
    expect((await run(['--format=openmetrics'], om)).code).toBe(0);
    expect((await run([], om)).code).toBe(0);
    expect((await run(['--format', 'protobuf'], pb)).code).toBe(0);
    expect((await run([], pb)).code).toBe(0);
    expect(detectFormat(pb)).toBe('protobuf');
    expect(detectFormat(Buffer.from('a 1\n'))).toBe('text');
    expect(detectFormat(Buffer.from('\n\n# HELP a_total x\n# TYPE a_total counter\na_total 1\n'))).toBe('text');
    expect((await run(['--format=text', '--lint=none'], om)).code).toBe(0); // '# EOF' is a comment in text
    expect((await run(['--format=text'], pb)).code).toBe(1);
    expect((await run(['--format=openmetrics'], 'a 1\n')).err).toContain('missing "# EOF"');
  });
  it('rejects unknown flags and enum values like kingpin', async () => {
    expect((await run(['--frob'], '')).err).toBe("pmtool: error: unknown long flag '--frob', try --help\n");
    expect((await run(['--format=xml'], '')).err).toBe(
      "pmtool: error: enum value must be one of auto,text,openmetrics,protobuf, got 'xml', try --help\n",
    );
  });
});

describe.skipIf(!existsSync(SUITE))('OpenMetrics conformance through pmtool check metrics --format openmetrics --lint=none', () => {
  const cases = existsSync(SUITE) ? readdirSync(SUITE).sort() : [];
  it('covers 211 cases', () => {
    expect(cases.length).toBe(211);
  });
  it.each(cases)('%s', async (c) => {
    const { shouldParse } = JSON.parse(readFileSync(resolve(SUITE, c, 'test.json'), 'utf8')) as { shouldParse: boolean };
    const r = await run(['--format', 'openmetrics', '--lint=none'], readFileSync(resolve(SUITE, c, 'metrics')));
    expect(r.code === 0).toBe(shouldParse);
  });
});
