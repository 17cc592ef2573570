import { describe, expect, it } from 'vitest';
import { Gauge } from './gauge.js';

describe('Gauge', () => {
  it('sets, increments and decrements', async () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registers: [] });
    g.set(10);
    g.inc();
    g.dec(3);
    g.set({ a: 'x' }, 5);
    g.inc({ a: 'x' }, 2);
    g.dec({ a: 'x' });
    g.labels('y').set(-1);
    g.labels('y').inc(0.5);
    expect((await g.get()).values).toEqual([
      { value: 8, labels: {} },
      { value: 6, labels: { a: 'x' } },
      { value: -0.5, labels: { a: 'y' } },
    ]);
  });

  it('rejects non-numbers with prom-client messages', () => {
    const g = new Gauge({ name: 'g', help: 'h', registers: [] });
    expect(() => g.set('x' as never)).toThrow('Value is not a valid number: x');
    expect(() => g.inc({}, 'x' as never)).toThrow('Delta is not a valid number');
  });

  it('times with startTimer and sets the current time', async () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registers: [] });
    const end = g.startTimer({ a: 'x' });
    await new Promise((r) => setTimeout(r, 20));
    const d = end();
    expect(d).toBeGreaterThanOrEqual(0.015);
    expect(g.getValue({ a: 'x' })).toBe(d);
    const end2 = g.labels('y').startTimer();
    expect(end2()).toBeGreaterThanOrEqual(0);
    const before = Date.now() / 1000;
    g.setToCurrentTime({ a: 'z' });
    expect(g.getValue({ a: 'z' })).toBeGreaterThanOrEqual(before - 0.001);
  });
});
