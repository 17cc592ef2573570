import { describe, expect, it } from 'vitest';
import { sampleFactory } from './sample-factory.js';

describe('sampleFactory', () => {
  it('builds plain samples with labels in sequence order, for any legacy label names', () => {
    const names = ['instance', 'constructor', 'toString', 'hasOwnProperty', '_', 'a1'];
    const make = sampleFactory(names, names.length);
    const s = make('up', ['h:9100', 'c', 't', 'o', 'u', 'x'], 1.5);
    expect(s).toStrictEqual({ name: 'up', labels: { instance: 'h:9100', constructor: 'c', toString: 't', hasOwnProperty: 'o', _: 'u', a1: 'x' }, value: 1.5 });
    expect(Object.keys(s.labels)).toEqual(names);
    expect(Object.getPrototypeOf(s.labels)).toBe(Object.prototype);
    // Each call makes fresh objects.
    expect(make('up', ['1', '2', '3', '4', '5', '6'], 0).labels).not.toBe(s.labels);
  });

  it('reuses one factory per sequence and only reads the first `count` names', () => {
    expect(sampleFactory(['a', 'b', 'c'], 2)).toBe(sampleFactory(['a', 'b'], 2));
    expect(sampleFactory([], 0)('x', [], 2)).toStrictEqual({ name: 'x', labels: {}, value: 2 });
  });

  it('still builds correct samples once the cache bound is reached', () => {
    for (let i = 0; i < 5000; i++) {
      const s = sampleFactory([`l${i}`, 'z'], 2)('m', [String(i), 'z'], i);
      expect(s).toStrictEqual({ name: 'm', labels: { [`l${i}`]: String(i), z: 'z' }, value: i });
    }
  });
});
