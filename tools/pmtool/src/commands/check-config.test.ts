import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../index.js';
import { hasPrometheus, PROMTOOL_BIN } from '../test-support/real-prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'pm-cc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'rules.yml'), 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n');
writeFileSync(join(dir, 'bad-rules.yml'), 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n');
// Verdicts compared with promtool 2.42 on configs whose meaning is the same in 2.x and 3.x.
const CONFIGS: Record<string, string> = {
  'classic-pushgateway': "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['localhost:9091']\n",
  'with-rules': "rule_files: [rules.yml]\nscrape_configs:\n  - job_name: x\n    static_configs: [{ targets: ['a:1'] }]\n",
  'bad-rules': 'rule_files: [bad-rules.yml]\n',
  'unknown-field': 'scrape_configs:\n  - job_name: x\n    scrape_intervall: 1s\n',
  'timeout-over-interval': 'scrape_configs:\n  - job_name: x\n    scrape_interval: 5s\n    scrape_timeout: 10s\n',
  'duplicate-job': 'scrape_configs:\n  - job_name: x\n  - job_name: x\n',
  'bad-relabel-action': 'scrape_configs:\n  - job_name: x\n    relabel_configs:\n      - action: explode\n',
  'bad-regex': "scrape_configs:\n  - job_name: x\n    relabel_configs:\n      - source_labels: [a]\n        regex: '('\n",
  'bad-yaml': 'scrape_configs: [\n',
  alerting: "alerting:\n  alertmanagers:\n    - static_configs: [{ targets: ['am:9093'] }]\n",
};
for (const [n, t] of Object.entries(CONFIGS)) writeFileSync(join(dir, `${n}.yml`), t);

async function pmtool(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('pmtool check config', () => {
  it('checks the config and the rule files it names', async () => {
    const f = join(dir, 'with-rules.yml');
    const r = await pmtool(['check', 'config', f]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Checking ${f}\n  SUCCESS: 1 rule files found\n SUCCESS: ${f} is valid prometheus config file syntax\n\nChecking ${join(dir, 'rules.yml')}\n  SUCCESS: 1 rules found\n\n`);
  });
  it('says where a config is wrong', async () => {
    const r = await pmtool(['check', 'config', join(dir, 'unknown-field.yml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/FAILED: .*unknown-field\.yml:3:5: scrape_configs\[0\]\.scrape_intervall/);
  });
});

describe.skipIf(!hasPrometheus)('pmtool and promtool agree on configs', () => {
  for (const name of Object.keys(CONFIGS)) {
    it(`${name}.yml`, async () => {
      const f = join(dir, `${name}.yml`);
      const ours = await pmtool(['check', 'config', f]);
      const theirs = spawnSync(PROMTOOL_BIN, ['check', 'config', f], { encoding: 'utf8' });
      expect(ours.code).toBe(theirs.status);
    });
  }
});
