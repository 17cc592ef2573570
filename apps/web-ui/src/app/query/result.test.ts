import { describe, expect, it } from 'vitest';
import { formatSeries, parseQueryResult, parseSampleValue } from './result.js';

describe('parseQueryResult', () => {
  it('accepts every result type', () => {
    expect(parseQueryResult({ resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'x' }, value: [1, '1'] }] })).toEqual({
      resultType: 'vector',
      result: [{ metric: { __name__: 'up', job: 'x' }, value: [1, '1'] }],
    });
    const m = parseQueryResult({ resultType: 'matrix', result: [{ metric: {}, values: [[1, '2'], [2, 'NaN']] }] });
    expect(m.resultType === 'matrix' && m.result[0]!.values).toEqual([[1, '2'], [2, 'NaN']]);
    expect(parseQueryResult({ resultType: 'scalar', result: [1.5, '3'] })).toEqual({ resultType: 'scalar', result: [1.5, '3'] });
    expect(parseQueryResult({ resultType: 'string', result: [1, 'hi'] }).resultType).toBe('string');
  });
  it('accepts native histograms', () => {
    const r = parseQueryResult({
      resultType: 'vector',
      result: [{ metric: {}, histogram: [1, { count: '3', sum: '4.5', buckets: [[0, '0.5', '1', '3']] }] }],
    });
    expect(r.resultType === 'vector' && r.result[0]!.histogram?.buckets[0]?.count).toBe('3');
  });
  it('names the offending field', () => {
    expect(() => parseQueryResult({ resultType: 'tensor', result: [] })).toThrow(/data.resultType: unknown result type "tensor"/);
    expect(() => parseQueryResult({ resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] })).toThrow(/data.result\[0\].metric/);
    expect(() => parseQueryResult({ resultType: 'vector', result: [{ metric: {}, value: [1, 1] }] })).toThrow(/data.result\[0\].value: expected \[timestamp, "value"\]/);
    expect(() => parseQueryResult({ resultType: 'vector', result: [{ metric: {} }] })).toThrow(/needs "value" or "histogram"/);
    expect(() => parseQueryResult({ resultType: 'matrix', result: {} })).toThrow(/data.result: expected an array/);
    expect(() => parseQueryResult(null)).toThrow(/data: expected an object/);
  });
});

describe('formatting', () => {
  it('prints series like Prometheus', () => {
    expect(formatSeries({ __name__: 'up', job: 'a"b', instance: 'x' })).toBe('up{job="a\\"b", instance="x"}');
    expect(formatSeries({ __name__: 'up' })).toBe('up');
    expect(formatSeries({})).toBe('{}');
    expect(formatSeries({ job: 'x' })).toBe('{job="x"}');
  });
  it('parses special values', () => {
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('1e3')).toBe(1000);
  });
});
