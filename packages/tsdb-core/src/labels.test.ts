import { describe, expect, it } from 'vitest';
import { Labels } from './index.js';

describe('Labels', () => {
  it('sorts by name and looks up values', () => {
    const l = Labels.from([['job', 'a'], ['__name__', 'up']]);
    expect(l.toString()).toBe('{__name__="up", job="a"}');
    expect(l.get('job')).toBe('a');
    expect(l.get('missing')).toBe('');
    expect(l.size).toBe(2);
  });
  it('drops empty values and rejects duplicate names', () => {
    expect(Labels.from({ a: '', b: 'x' }).names()).toEqual(['b']);
    expect(() => Labels.from([['a', '1'], ['a', '2']])).toThrow('duplicate label name "a"');
  });
  it('compares, hashes and edits like Prometheus label sets', () => {
    const a = Labels.from({ a: '1', b: '2' });
    const b = Labels.from({ b: '2', a: '1' });
    expect(a.equals(b)).toBe(true);
    expect(a.hash()).toBe(b.hash());
    expect(Labels.compare(a, Labels.from({ a: '1' }))).toBeGreaterThan(0);
    expect(Labels.compare(Labels.from({ a: '0' }), a)).toBeLessThan(0);
    expect(a.with({ c: '3', a: '' }).toObject()).toEqual({ b: '2', c: '3' });
    expect(a.without('a').toObject()).toEqual({ b: '2' });
    expect(a.keep('a').toObject()).toEqual({ a: '1' });
  });
});
