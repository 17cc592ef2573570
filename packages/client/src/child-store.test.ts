import { describe, expect, it } from 'vitest';
import { ChildStore, labelsFromArgs, type ChildBase } from './child-store.js';

interface Kid extends ChildBase {
  n: number;
}

function store(names: string[]) {
  let n = 0;
  return new ChildStore<Kid>(names, (labelValues) => ({ labelValues, labelText: undefined, n: n++ }));
}

describe('ChildStore', () => {
  it('finds the same child for equal label sets, whatever the key order or value type', () => {
    const s = store(['a', 'b']);
    const x = s.get({ a: '1', b: 'x' });
    expect(s.get({ b: 'x', a: 1 })).toBe(x);
    expect(s.getByValues([1, 'x'])).toBe(x);
    expect(x.labelValues).toEqual(['1', 'x']);
    expect(s.get({ a: '1' })).not.toBe(x);
    expect(s.size).toBe(2);
    expect(s.find({ a: '1', b: 'x' })).toBe(x);
    expect(s.find({ a: '2', b: 'x' })).toBeUndefined();
  });

  it('deletes children and prunes emptied branches', () => {
    const s = store(['a', 'b', 'c']);
    s.get({ a: '1', b: '2', c: '3' });
    const keep = s.get({ a: '1', b: '9', c: '3' });
    expect(s.delete({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(s.delete({ a: '1', b: '2', c: '3' })).toBe(false);
    expect(s.delete({ a: '7', b: '2', c: '3' })).toBe(false);
    expect([...s.children]).toEqual([keep]);
    expect(s.delete({ a: '1', b: '9', c: '3' })).toBe(true);
    expect(s.size).toBe(0);
    // Recreated after removal, as a new series.
    expect(s.get({ a: '1', b: '9', c: '3' })).not.toBe(keep);
  });

  it('keeps a single child for unlabelled metrics', () => {
    const s = store([]);
    const one = s.get({});
    expect(s.getByValues([])).toBe(one);
    expect(s.find({})).toBe(one);
    expect(s.delete({})).toBe(true);
    expect(s.delete({})).toBe(false);
    expect(s.find({})).toBeUndefined();
  });

  it('rejects undeclared names and wrong arity', () => {
    const s = store(['a']);
    expect(() => s.get({ z: '1' })).toThrow(`Added label "z" is not included in initial labelset: [ 'a' ]`);
    expect(() => s.delete({ z: '1' })).toThrow(/Added label "z"/);
    expect(() => s.getByValues(['1', '2'])).toThrow('Invalid number of arguments (2): "1, 2" for label names (1): "a".');
    expect(labelsFromArgs(['a', 'b'], ['x', 2])).toEqual({ a: 'x', b: 2 });
    expect(labelsFromArgs(['a'], [{ a: 'y' }])).toEqual({ a: 'y' });
  });
});
