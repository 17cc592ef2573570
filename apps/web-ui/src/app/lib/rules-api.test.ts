import { describe, expect, it } from 'vitest';
import { parseRules } from './rules-api.js';

describe('parseRules', () => {
  it('reads alerting and recording rules', () => {
    const groups = parseRules({
      groups: [
        {
          name: 'g',
          file: '/etc/rules.yml',
          interval: 15,
          evaluationTime: 0.001,
          lastEvaluation: '2024-01-01T00:00:00Z',
          rules: [
            { type: 'recording', name: 'job:up:sum', query: 'sum by (job) (up)', health: 'ok', evaluationTime: 0.0002, lastEvaluation: '' },
            {
              type: 'alerting',
              name: 'Down',
              query: 'up == 0',
              duration: 60,
              state: 'firing',
              labels: { severity: 'page' },
              annotations: { summary: 'down' },
              alerts: [{ labels: { alertname: 'Down' }, annotations: {}, state: 'firing', activeAt: '2024-01-01T00:00:00Z', value: '0e+00' }],
              health: 'ok',
            },
          ],
        },
      ],
    });
    expect(groups[0]!.rules.map((r) => [r.type, r.name])).toEqual([
      ['recording', 'job:up:sum'],
      ['alerting', 'Down'],
    ]);
    expect(groups[0]!.rules[1]!.alerts[0]!.state).toBe('firing');
  });
  it('accepts no groups and names bad fields', () => {
    expect(parseRules({ groups: [] })).toEqual([]);
    expect(() => parseRules({ groups: [{ name: 'g', rules: [{ name: 'x', query: 'up', type: 'other' }] }] })).toThrow(/groups\[0\].rules\[0\].type/);
    expect(() => parseRules({ groups: [{ rules: [] }] })).toThrow(/groups\[0\]: expected a group with a name/);
  });
});
