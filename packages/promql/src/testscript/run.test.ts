import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpr } from '../parser/parser.js';
import { atModifierQuery, runTestFile, runTestScript } from './run.js';
import { ScriptError } from './script.js';

describe('runTestScript', () => {
  it('passes, fails and skips evals by the explicit rule', () => {
    const r = runTestScript(`load 1m
  up{job="a"} 0+1x5
  nh {{schema:0 count:1}}

eval instant at 2m up
  up{job="a"} 2

eval instant at 2m up
  up{job="a"} 3

eval range from 0 to 2m step 1m up * 2
  {job="a"} 0 2 4

eval instant at 1m nh

eval instant at 1m limit_ratio(0.5, up)

eval instant at 0 foo[1m+1m]
`);
    expect([r.passed, r.failed, r.skipped]).toEqual([2, 1, 3]);
    expect(r.evals[1]!.message).toBe('expected 3 for {__name__="up", job="a"}, got 2');
    expect(r.evals.slice(3).map((e) => e.message)).toEqual([
      'native histograms: query reads histogram series',
      'experimental: limit_ratio',
      'experimental: duration expressions',
    ]);
  });

  it('checks errors, annotations, strings, scalars and range vectors', () => {
    const r = runTestScript(`load 10s
  g 1 2 3 4

eval instant at 30s "s"
  expect string "s"

eval instant at 30s 1 + 1
  2

eval instant at 30s g[30s]
  expect range vector from 10s to 30s step 10s
  g 2 3 4

eval instant at 30s rate(g[1m])
  expect info msg: PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "g" (1:6)
  {} 0.058333333333333334

eval instant at 30s rate(g[1m])
  expect no_info
  {} 0.058333333333333334

eval instant at 30s topk(scalar(nonexistent), g)
  expect fail msg: Parameter value is NaN
`);
    expect(r.evals.map((e) => `${e.status}${e.message ? `: ${e.message}` : ''}`)).toEqual([
      'passed',
      'passed',
      'passed',
      'passed',
      'failed: unexpected info annotations: PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "g" (1:6)',
      'passed',
    ]);
  });

  it('re-checks instant queries in range mode and with @ added', () => {
    expect(atModifierQuery(parseExpr('sum(rate(x[5m])) / y offset 1m'), 60_000)).toBe(
      'sum(rate(x[5m] @ 60.000)) / y @ 60.000 offset 1m',
    );
    expect(atModifierQuery(parseExpr('max_over_time(x[5m:1m])'), 0)).toBe('max_over_time(x[5m:1m] @ 0.000)');
    expect(atModifierQuery(parseExpr('time() + x'), 0)).toBeUndefined();
  });

  it('rejects malformed scripts with the line', () => {
    expect(() => runTestScript('load 1m\n  x 1\n\nfrob\n')).toThrow(ScriptError);
    expect(() => runTestScript('load 1m\n  x 1\n\nfrob\n')).toThrow('line 4: invalid command "frob"');
    expect(() => runTestScript('eval instant at 1x up\n')).toThrow('line 1: invalid duration "1x"');
    expect(() => runTestScript('eval range from 1m to 0 step 1m up\n')).toThrow('end timestamp is before start timestamp');
  });
});

const here = import.meta.dirname;

describe('project test scripts (testdata/*.test)', () => {
  const dir = resolve(here, '../../testdata');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.test'))) {
    it(f, () => {
      const r = runTestFile(join(dir, f));
      expect(r.evals.filter((e) => e.status === 'failed')).toEqual([]);
      expect(r.passed).toBeGreaterThan(0);
    });
  }
});

const shared = process.env.PROMETHIUM_SHARED ?? resolve(here, '../../../../../shared');
const confDir = join(shared, 'conformance/promqltest');
const REQUIRED = [
  'literals',
  'selectors',
  'staleness',
  'collision',
  'trig_functions',
  'subquery',
  'range_queries',
  'at_modifier',
  'operators',
  'aggregators',
  'functions',
  'name_label_dropping',
  'histograms',
];

describe.skipIf(!existsSync(confDir))("Prometheus' promqltest conformance scripts", () => {
  for (const name of REQUIRED) {
    it(`${name}.test passes at least 95% of its non-skipped evals`, () => {
      const r = runTestFile(join(confDir, `${name}.test`));
      const rate = r.passed / Math.max(1, r.passed + r.failed);
      expect(rate, r.evals.filter((e) => e.status === 'failed').map((e) => `${e.line}: ${e.message}`).join('\n')).toBeGreaterThanOrEqual(0.95);
    });
  }
});
