import { describe, expect, it } from 'vitest';
import { formatLabelSet, formatMetric, formatQueryData } from './format-result.js';

describe('promtool-style result formatting', () => {
  it('formats vectors, matrices and scalars like model.Value.String()', () => {
    expect(
      formatQueryData({
        resultType: 'vector',
        result: [{ metric: { job: 'self', __name__: 'up', instance: 'a:1' }, value: [1795545052.683, '1'] }],
      }),
    ).toBe('up{instance="a:1", job="self"} => 1 @[1795545052.683]');
    expect(
      formatQueryData({
        resultType: 'matrix',
        result: [{ metric: { __name__: 'up' }, values: [[10, '1'], [12, '0']] }],
      }),
    ).toBe('up =>\n1 @[10]\n0 @[12]');
    expect(formatQueryData({ resultType: 'scalar', result: [5.5, '1e+21'] })).toBe(
      'scalar: 1000000000000000000000 @[5.5]',
    );
  });
  it('formats nameless metrics and label sets', () => {
    expect(formatMetric({ job: 'x"y' })).toBe('{job="x\\"y"}');
    expect(formatLabelSet({ job: 'a', __name__: 'up' })).toBe('{__name__="up", job="a"}');
  });
});
