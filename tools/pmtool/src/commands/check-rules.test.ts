import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../index.js';
import { hasPrometheus, PROMTOOL_BIN } from '../test-support/real-prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'pm-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Verdicts are compared with promtool 2.42 on files whose meaning is the same in Prometheus 2 and 3
// (3.x accepts UTF-8 names and query_offset, so those cases are tested on our side only).
const FILES: Record<string, string> = {
  good: 'groups:\n  - name: g\n    interval: 30s\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n      - alert: InstanceDown\n        expr: up == 0\n        for: 5m\n        labels:\n          severity: page\n        annotations:\n          summary: "{{ $labels.instance }} down for {{ $value | humanizeDuration }}"\n',
  'bad-expr': 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(up\n',
  'record-and-alert': 'groups:\n  - name: g\n    rules:\n      - record: x\n        alert: y\n        expr: up\n',
  'neither': 'groups:\n  - name: g\n    rules:\n      - expr: up\n',
  'repeated-group': 'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n',
  'bad-template': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n          s: "{{ .Foo "\n',
  'unknown-field': 'groups:\n  - name: g\n    foo: 1\n    rules: []\n',
  'for-on-record': 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: up\n        for: 5m\n',
  'no-group-name': 'groups:\n  - rules: []\n',
  'no-expr': 'groups:\n  - name: g\n    rules:\n      - record: x\n',
  'bad-yaml': 'groups: [\n',
  'duplicate-rules': 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: up\n      - record: x\n        expr: up\n',
  'bad-duration': 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: soon\n',
};
for (const [n, t] of Object.entries(FILES)) writeFileSync(join(dir, `${n}.yml`), t);

async function pmtool(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('pmtool check rules', () => {
  it('prints promtool-style success and failure reports', async () => {
    const good = await pmtool(['check', 'rules', join(dir, 'good.yml')]);
    expect(good.code).toBe(0);
    expect(good.out).toBe(`Checking ${join(dir, 'good.yml')}\n  SUCCESS: 2 rules found\n\n`);
    const bad = await pmtool(['check', 'rules', join(dir, 'for-on-record.yml')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(`  FAILED:\n${join(dir, 'for-on-record.yml')}: 4:17: group "g", rule 1, "x": invalid field 'for' in recording rule\n`);
  });
  it('lints duplicate recording rules, fatal only with --lint-fatal', async () => {
    const f = join(dir, 'duplicate-rules.yml');
    const r = await pmtool(['check', 'rules', f]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('lint error 1 duplicate rule(s) found.\nMetric: x\n');
    expect((await pmtool(['check', 'rules', '--lint-fatal', f])).code).toBe(3);
    expect((await pmtool(['check', 'rules', '--lint=none', '--lint-fatal', f])).code).toBe(0);
  });
  it('accepts Prometheus 3 additions: UTF-8 names and query_offset', async () => {
    writeFileSync(join(dir, 'v3.yml'), 'groups:\n  - name: g\n    query_offset: 1m\n    rules:\n      - record: "my.metric:rate5m"\n        expr: up\n');
    expect((await pmtool(['check', 'rules', join(dir, 'v3.yml')])).code).toBe(0);
  });
});

describe.skipIf(!hasPrometheus)('pmtool and promtool agree on rule files', () => {
  for (const name of Object.keys(FILES)) {
    it(`${name}.yml`, async () => {
      const f = join(dir, `${name}.yml`);
      const ours = await pmtool(['check', 'rules', f]);
      const theirs = spawnSync(PROMTOOL_BIN, ['check', 'rules', f], { encoding: 'utf8' });
      expect(ours.code).toBe(theirs.status);
      expect(ours.out).toBe(theirs.stdout);
    });
  }
});
