import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../index.js';
import { hasPrometheus, PROMTOOL_BIN } from '../test-support/real-prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'pm-ut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'rules.yml'),
  `groups:
  - name: example
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels:
          severity: page
        annotations:
          summary: "Instance {{ $labels.instance }} down"
          value: "{{ $value | humanize }}"
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: TooManyDown
        expr: count(up == 0) > 1
        keep_firing_for: 2m
        labels:
          severity: ticket
`,
);

const base = (body: string): string => `rule_files:\n  - rules.yml\nevaluation_interval: 1m\ntests:\n${body}`;
const series = `    input_series:
      - series: 'up{job="prometheus", instance="localhost:9090"}'
        values: '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0'
      - series: 'up{job="node", instance="localhost:9100"}'
        values: '1+0x6 0 0 0 0 0 0 0 0'
`;
const TESTS: Record<string, string> = {
  pass: base(`  - interval: 1m
${series}    alert_rule_test:
      - eval_time: 4m
        alertname: InstanceDown
        exp_alerts:
      - eval_time: 10m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels:
              severity: page
              instance: localhost:9090
              job: prometheus
            exp_annotations:
              summary: "Instance localhost:9090 down"
              value: "0"
      - eval_time: 8m
        alertname: TooManyDown
        exp_alerts:
          - exp_labels:
              severity: ticket
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 4m
        exp_samples:
          - labels: 'job:up:sum{job="prometheus"}'
            value: 0
          - labels: 'job:up:sum{job="node"}'
            value: 1
      - expr: count(up)
        eval_time: 1m
        exp_samples:
          - labels: '{}'
            value: 2
`),
  'wrong-annotation': base(`  - interval: 1m
${series}    alert_rule_test:
      - eval_time: 10m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels:
              severity: page
              instance: localhost:9090
              job: prometheus
            exp_annotations:
              summary: "wrong"
              value: "0"
`),
  'wrong-value': base(`  - interval: 1m
${series}    promql_expr_test:
      - expr: job:up:sum
        eval_time: 4m
        exp_samples:
          - labels: 'job:up:sum{job="node"}'
            value: 7
          - labels: 'job:up:sum{job="prometheus"}'
            value: 0
`),
  'pending-is-not-firing': base(`  - interval: 1m
${series}    alert_rule_test:
      - eval_time: 3m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels:
              severity: page
              instance: localhost:9090
              job: prometheus
`),
  'keep-firing': base(`  - interval: 1m
    input_series:
      - series: 'up{instance="a"}'
        values: '0 0 0 1 1 1 1 1'
      - series: 'up{instance="b"}'
        values: '0 0 0 1 1 1 1 1'
    alert_rule_test:
      - eval_time: 4m
        alertname: TooManyDown
        exp_alerts:
          - exp_labels:
              severity: ticket
      - eval_time: 6m
        alertname: TooManyDown
        exp_alerts:
`),
  'missing-rule-file': 'rule_files:\n  - nope.yml\ntests: []\n',
};
for (const [n, t] of Object.entries(TESTS)) writeFileSync(join(dir, `${n}.yml`), t);

async function pmtool(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdin: () => Promise.resolve(Buffer.alloc(0)), stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('pmtool test rules', () => {
  it('passes a correct test file', async () => {
    const r = await pmtool(['test', 'rules', join(dir, 'pass.yml')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Unit Testing:  ${join(dir, 'pass.yml')}\n  SUCCESS\n\n`);
  });
  it('shows expected and actual alerts and samples on failure', async () => {
    const a = await pmtool(['test', 'rules', join(dir, 'wrong-annotation.yml')]);
    expect(a.code).toBe(1);
    expect(a.err).toContain('alertname: InstanceDown, time: 10m, \n        exp:[\n            0:\n              Labels:{alertname="InstanceDown", instance="localhost:9090", job="prometheus", severity="page"}\n              Annotations:{summary="wrong", value="0"}');
    const v = await pmtool(['test', 'rules', join(dir, 'wrong-value.yml')]);
    expect(v.err).toContain('expr: "job:up:sum", time: 4m,\n        exp: {__name__="job:up:sum", job="node"} 7E+00, {__name__="job:up:sum", job="prometheus"} 0E+00\n        got: {__name__="job:up:sum", job="node"} 1E+00, {__name__="job:up:sum", job="prometheus"} 0E+00');
  });
  it('warns about a rule_files pattern that matches nothing, like promtool', async () => {
    const r = await pmtool(['test', 'rules', join(dir, 'missing-rule-file.yml')]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`  WARNING: no file match pattern ${join(dir, 'nope.yml')}\n`);
  });
});

describe.skipIf(!hasPrometheus)('pmtool and promtool agree on rule unit tests', () => {
  for (const name of Object.keys(TESTS)) {
    it(`${name}.yml`, async () => {
      const f = join(dir, `${name}.yml`);
      const ours = await pmtool(['test', 'rules', f]);
      const theirs = spawnSync(PROMTOOL_BIN, ['test', 'rules', f], { encoding: 'utf8', cwd: dir });
      expect(ours.code).toBe(theirs.status);
      expect(ours.out).toBe(theirs.stdout);
    });
  }
});
