import { describe, expect, it } from 'vitest';
import { Counter } from './counter.js';
import { Registry } from './registry.js';

describe('Counter', () => {
  it('increments by one or by a value, with and without labels', async () => {
    const registers = [new Registry()];
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['code'] as const, registers });
    c.inc();
    c.inc(2);
    c.inc({ code: 200 });
    c.inc({ code: '200' }, 3);
    c.labels('500').inc();
    c.labels({ code: '500' }).inc(4);
    const got = await c.get();
    expect(got).toMatchObject({ name: 'c_total', help: 'h', type: 'counter', aggregator: 'sum' });
    expect(got.values).toEqual([
      { value: 3, labels: {} },
      { value: 4, labels: { code: '200' } },
      { value: 5, labels: { code: '500' } },
    ]);
  });

  it('rejects decrements, non-numbers and undeclared labels without creating a series', () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a'], registers: [] });
    expect(() => c.inc(-1)).toThrow('It is not possible to decrease a counter');
    expect(() => c.inc({ a: 'x' }, Number.NaN)).toThrow(TypeError);
    expect(() => c.inc({ a: 'x' }, Infinity)).toThrow('Value is not a valid number: Infinity');
    expect(() => c.inc({ b: 'x' } as never)).toThrow(`Added label "b" is not included in initial labelset: [ 'a' ]`);
    expect(() => c.labels('x', 'y')).toThrow('Invalid number of arguments (2): "x, y" for label names (1): "a".');
    expect(c.getValue({ a: 'x' })).toBe(0);
  });

  it('removes and resets series', async () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a', 'b'], registers: [] });
    c.inc({ a: '1', b: '2' });
    c.inc({ a: '1', b: '3' });
    c.remove('1', '2');
    expect((await c.get()).values).toEqual([{ value: 1, labels: { a: '1', b: '3' } }]);
    c.remove({ a: '1', b: '3' });
    expect((await c.get()).values).toEqual([]);
    c.inc({ a: '1', b: '3' }, 5);
    expect(c.getValue({ a: '1', b: '3' })).toBe(5);
    c.reset();
    expect((await c.get()).values).toEqual([]);
    const u = new Counter({ name: 'u', help: 'h', registers: [] });
    u.inc(3);
    u.reset();
    expect((await u.get()).values).toEqual([{ value: 0, labels: {} }]);
  });

  it('treats missing labels as absent', async () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a', 'b'], registers: [] });
    c.inc({ a: 'x' });
    c.inc({ a: 'x', b: undefined });
    expect((await c.get()).values).toEqual([{ value: 2, labels: { a: 'x' } }]);
  });

  it('runs collect() with the metric as this, sync or async', async () => {
    let n = 0;
    const c = new Counter({
      name: 'c',
      help: 'h',
      registers: [],
      async collect() {
        await Promise.resolve();
        this.inc(++n);
      },
    });
    expect((await c.get()).values[0]!.value).toBe(1);
    expect((await c.get()).values[0]!.value).toBe(3);
  });

  it('records exemplars when enabled', async () => {
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], enableExemplars: true, registers: [] });
    c.inc({ labels: { a: 'x' }, value: 2, exemplarLabels: { traceId: 'abc' } });
    c.labels('y').inc({ value: 1, exemplarLabels: { traceId: 'def' } });
    const v = (await c.get()).values;
    expect(v[0]).toMatchObject({ value: 2, labels: { a: 'x' }, exemplar: { labelSet: { traceId: 'abc' }, value: 2 } });
    expect(v[1]).toMatchObject({ value: 1, exemplar: { labelSet: { traceId: 'def' } } });
    expect(() => c.inc({ labels: { a: 'x' }, exemplarLabels: { t: 'x'.repeat(128) } })).toThrow(RangeError);
  });

  it('validates the config like prom-client', () => {
    expect(() => new Counter(null as never)).toThrow('constructor expected a config object');
    expect(() => new Counter({ name: 'a', help: '' })).toThrow('Missing mandatory help parameter');
    expect(() => new Counter({ name: '', help: 'h' })).toThrow('Missing mandatory name parameter');
    expect(() => new Counter({ name: '1a', help: 'h' })).toThrow('Invalid metric name');
    expect(() => new Counter({ name: 'a', help: 'h', labelNames: ['a-b'] })).toThrow('Invalid label name');
    expect(() => new Counter({ name: 'a', help: 'h', collect: 5 as never })).toThrow(
      'Optional "collect" parameter must be a function',
    );
    expect(() => new Counter({ name: 'a_bytes', help: 'h', unit: 'seconds', registers: [] })).toThrow(/unit/);
  });

  it('refuses a second metric with the same name in one registry', () => {
    const r = new Registry();
    new Counter({ name: 'dup', help: 'h', registers: [r] });
    expect(() => new Counter({ name: 'dup', help: 'h', registers: [r] })).toThrow(
      'A metric with the name dup has already been registered.',
    );
  });
});
