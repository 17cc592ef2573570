import { describe, expect, it } from 'vitest';
import { parseRuleFile, RuleFileError } from './rule-file.js';

const GOOD = `groups:
  - name: node
    interval: 30s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        keep_firing_for: 1m
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.instance }} down"
`;

function problems(text: string): string[] {
  try {
    parseRuleFile(text, 'r.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(RuleFileError);
    return (e as RuleFileError).message.split('\n');
  }
  throw new Error('expected the rule file to be rejected');
}

describe('rule files', () => {
  it('loads groups with recording and alerting rules', () => {
    const [g] = parseRuleFile(GOOD, 'r.yml');
    expect(g!.name).toBe('node');
    expect(g!.intervalMs).toBe(30_000);
    expect(g!.rules.map((r) => [r.kind, r.name])).toEqual([['record', 'job:up:sum'], ['alert', 'InstanceDown']]);
    expect(g!.rules[1]!.forMs).toBe(300_000);
    expect(g!.rules[1]!.keepFiringForMs).toBe(60_000);
    expect(g!.rules[1]!.labels).toEqual({ severity: 'page' });
  });
  it('reports each problem with the line, group and rule', () => {
    const parse = problems('groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(up\n');
    expect(parse).toHaveLength(1);
    expect(parse[0]).toMatch(/^r\.yml: 5:15: group "g", rule 1, "x": could not parse expression: 1:\d+: parse error: /);
    expect(problems('groups:\n  - name: g\n    rules:\n      - record: x\n        alert: y\n        expr: up\n')[0]).toContain(
      `group "g", rule 1, "y": only one of 'record' and 'alert' must be set`,
    );
    expect(problems('groups:\n  - name: g\n    rules:\n      - expr: up\n')[0]).toBe(
      `r.yml: group "g", rule 1, "": one of 'record' or 'alert' must be set`,
    );
    expect(problems('groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n')[0]).toBe('r.yml: 4:5: groupname: "g" is repeated in the same file');
    expect(problems('groups:\n  - rules: []\n')[0]).toBe('r.yml: 2:5: Groupname must not be empty');
    expect(problems('groups:\n  - name: g\n    rules:\n      - record: x\n        expr: up\n        for: 5m\n')[0]).toContain(
      "invalid field 'for' in recording rule",
    );
    expect(problems('groups:\n  - name: g\n    rules:\n      - record: x\n')[0]).toContain("field 'expr' must be set in rule");
    expect(problems('groups:\n  - name: g\n    foo: 1\n    rules: []\n')[0]).toContain('field foo is not allowed here');
    expect(problems('groups: [\n')[0]).toContain('invalid YAML');
    expect(problems('groups:\n  - name: g\n    interval: soon\n    rules: []\n')[0]).toContain('invalid interval "soon"');
  });
  it('checks label and annotation templates of alerting rules', () => {
    expect(problems('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n          s: "{{ .Foo "\n')[0]).toContain(
      'group "g", rule 1, "A": annotation "s": template: __alert_A:1:',
    );
  });
  it('collects several problems in one pass', () => {
    const p = problems('groups:\n  - name: g\n    rules:\n      - record: x\n      - alert: A\n        expr: up +\n');
    expect(p).toHaveLength(2);
  });
});
