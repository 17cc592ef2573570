import { describe, expect, it } from 'vitest';
import { QuantileSketch } from './quantile-sketch.js';

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const QS = [0, 0.01, 0.05, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

describe('QuantileSketch', () => {
  const distributions: [string, (r: () => number) => number][] = [
    ['uniform', (r) => r() * 1000],
    ['exponential latency', (r) => -Math.log(1 - r()) * 0.05],
    ['log-normal', (r) => Math.exp(3 * (r() + r() + r() - 1.5))],
    ['mixed signs', (r) => (r() - 0.3) * 1e6],
    ['with zeros', (r) => (r() < 0.2 ? 0 : r() * 10)],
  ];
  for (const accuracy of [0.01, 0.001]) {
    for (const [name, gen] of distributions) {
      it(`stays within ${accuracy} relative error of exact quantiles (${name})`, () => {
        const r = rng(42);
        const sk = new QuantileSketch(accuracy);
        const values: number[] = [];
        for (let i = 0; i < 20000; i++) {
          const v = gen(r);
          values.push(v);
          sk.add(v);
        }
        values.sort((a, b) => a - b);
        for (const q of QS) {
          const exact = exactQuantile(values, q);
          const est = sk.quantile(q);
          expect(Math.abs(est - exact)).toBeLessThanOrEqual(accuracy * Math.abs(exact) + 1e-9);
        }
      });
    }
  }

  it('merges sketches exactly as if fed one stream', () => {
    const r = rng(7);
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const all = new QuantileSketch();
    for (let i = 0; i < 5000; i++) {
      const v = r() * 100 - 10;
      (i % 2 ? a : b).add(v);
      all.add(v);
    }
    a.merge(b);
    for (const q of QS) expect(a.quantile(q)).toBe(all.quantile(q));
  });

  it('handles growth in both directions and empty sketches', () => {
    const s = new QuantileSketch();
    expect(s.quantile(0.5)).toBeNaN();
    for (const v of [1, 1e6, 1e-6, 1e12, 1e-8]) s.add(v);
    expect(Math.abs(s.quantile(0) - 1e-8) / 1e-8).toBeLessThanOrEqual(0.01);
    expect(Math.abs(s.quantile(1) - 1e12) / 1e12).toBeLessThanOrEqual(0.01);
    expect(() => new QuantileSketch(0)).toThrow(RangeError);
  });
});
